// Which of several Lighthouse reports is the median run, by Lighthouse's own computeMedianRun.
// node bench/median_run.mjs LIGHTHOUSE_PACKAGE_DIR REPORT.json... prints the median report's path.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, ...paths] = process.argv.slice(2);
const { computeMedianRun } = await import(
  pathToFileURL(join(packageDir, "core", "lib", "median-run.js")).href
);
const reports = paths.map((path) => JSON.parse(readFileSync(path, "utf8")));
console.log(paths[reports.indexOf(computeMedianRun(reports))]);
