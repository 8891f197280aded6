"""The benchmark behind `make bench`: every page type, cold and warm, beside a static file.

What one run does, on this machine, against its PostgreSQL and Redis:
  1. builds two databases with `make_bench_data`: eye_bench (50,000 screenings) and
     eye_bench_small (1,000; the same films and the same coming weeks, less history), and draws
     their pictures (`prepare_pictures --draw`, as a worker would);
  2. renders each page once in-process to count its queries at both sizes and to keep its HTML;
     the HTML goes into STATIC_ROOT/bench/ as the static-file baseline;
  3. starts gunicorn with the production settings (DEBUG off, 2 sync workers, gunicorn.conf.py
     when the project has one) on loopback: the large database with the page cache off (cold)
     and on (warm; it also serves the baseline files through WhiteNoise), the small one cold;
  4. measures each page with wrk, side by side: the static baseline and the cached (warm) page
     in alternating turns, three each, median kept; so too cold at 50,000 and at 1,000;
  5. runs the whole page mix for 60 s at 32 connections and counts errors and non-2xx answers;
  6. runs Lighthouse (mobile) five times on five page types in both languages, keeps its median
     run (see lighthouse()), and weighs each first load;
  7. unless --only: saves a film with a new 24 MP poster in the admin while a worker runs
     (bench/pictures.py) and times the save and how long until the page's pictures are drawn;
  8. writes bench/results/latest.{md,json,png} and copies them to docs/bench/ for the README.

Options: --quick (short runs, no Lighthouse: for trying changes), --keep-data, --no-lighthouse,
--seconds N (per measurement), --only NAME[,NAME] (page types), --profile NAME (where one page
type's renders spend their time, by pyinstrument, on the kept 50,000-screening database).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pictures  # bench/pictures.py: the save and drawing step

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PUBLISHED = ROOT / "docs" / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
HOST = "127.0.0.1"
PORTS = {"cold": 8111, "warm": 8112, "small": 8113}
DATASETS = {"large": ("eye_bench", 50_000), "small": ("eye_bench_small", 1_000)}
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_PAGES = ("home", "agenda", "programme", "film", "event")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
WEIGHT_LIMIT = 100 * 1024
# Turns each of the static file and the cached page gets (see measure_alternating).
ROUNDS = 3
LIGHTHOUSE_ATTEMPTS = 3
LIGHTHOUSE_RUNS = 5

# Targets from the issue: share of the static-file baseline's requests per second.
COLD_TARGETS = {"agenda": 0.10, "programme": 0.15, "film": 0.15, "event": 0.15, "person": 0.15}
WARM_TARGET = 0.95
MAX_QUERIES = 10
MAX_P50_GROWTH = 1.2
MAX_WORKER_MB = 150
LABELS = {
    "home": "home",
    "agenda": "agenda (next 7 days)",
    "agenda_day_language": "agenda, one day, English",
    "programme": "programme",
    "film": "film",
    "event": "event",
    "person": "person",
    "screening_ics": "screening .ics",
}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(part) for part in command],
        env=env,
        cwd=ROOT,
        check=check,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )


# Environment ------------------------------------------------------------------------------


def django_env(dataset: str, page_cache: bool, run_id: str) -> dict[str, str]:
    """Production settings for one data set; everything else as an operator would set it."""
    name, _count = DATASETS[dataset]
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        DEVTOOLS="false",
        SECRET_KEY=f"bench-only-{run_id}-{secrets.token_hex(16)}",
        ALLOWED_HOSTS=f"{HOST},localhost",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        # wrk sends X-Forwarded-Proto as the load balancer would, but Lighthouse's own fetches
        # (robots.txt) cannot: plain http on loopback must not be redirected to an https port.
        SECURE_SSL_REDIRECT="false",
        # Production recycles a worker every ~2,000 requests; at thousands of requests a second
        # (static and cached pages) that would measure worker restarts, not pages.
        GUNICORN_MAX_REQUESTS="0",
        DATABASE_URL=f"{POSTGRES}/{name}",
        MEDIA_ROOT=str(RESULTS / "media"),
        CACHE_URL=REDIS,
        # A fresh prefix each run: bulk-built data sends no signals to bump the page cache.
        CACHE_KEY_PREFIX=f"bench-{run_id}-{dataset}",
        PAGE_CACHE_SECONDS="300" if page_cache else "0",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
    )
    return env


def ensure_debian(command: str, package: str) -> None:
    """A tool from Debian's packages (wrk, Chromium for Lighthouse), installed when missing."""
    if shutil.which(command):
        return
    if os.geteuid() != 0:
        sys.exit(f"{command} is missing: install the Debian package {package}.")
    say(f"Installing {package} from Debian")
    run(["apt-get", "update", "-qq"])
    run(
        ["apt-get", "install", "-y", "-qq", package],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def ensure_lighthouse() -> Path:
    """Lighthouse from npm into a local folder (bench/results/tools), once, and its Chromium."""
    ensure_debian("chromium", "chromium")
    tools = RESULTS / "tools"
    cli = tools / "node_modules" / "lighthouse" / "cli" / "index.js"
    installed = tools / "node_modules" / "lighthouse" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == LIGHTHOUSE_VERSION:
        return cli
    say(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {tools}")
    tools.mkdir(parents=True, exist_ok=True)
    run(
        [
            "npm",
            "install",
            "--prefix",
            tools,
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ]
    )
    return cli


def build_data(run_id: str, keep: bool) -> None:
    import psycopg

    for dataset, (name, count) in DATASETS.items():
        env = django_env(dataset, page_cache=False, run_id=run_id)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        if exists and keep:
            say(f"Keeping database {name}")
            continue
        say(f"Database {name}: migrate, then {count:,} screenings")
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
        started = time.monotonic()
        # The development tools are not part of production settings: asked for by name here.
        build = [PYTHON, "manage.py", "make_bench_data", "--replace", "--screenings", count]
        run([*build, "--confirm-database", name], env={**env, "DEVTOOLS": "true"})
        say(f"Database {name} built in {time.monotonic() - started:.1f} s")


def draw_pictures(run_id: str) -> None:
    """The data's pictures drawn, as workers draw them after an editor's save (pages never draw
    them: until drawn, they show the originals and are not cached)."""
    for dataset in DATASETS:
        say(f"Pictures of {DATASETS[dataset][0]}: drawing those not drawn yet")
        env = django_env(dataset, page_cache=False, run_id=run_id)
        run([PYTHON, "manage.py", "prepare_pictures", "--draw"], env=env, capture=True)


def collect_static(run_id: str) -> Path:
    env = django_env("large", page_cache=False, run_id=run_id)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
    root = run(
        [
            PYTHON,
            "-c",
            "from django.conf import settings; import django; django.setup(); "
            "print(settings.STATIC_ROOT)",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "eye_site.settings"},
        capture=True,
    ).stdout.strip()
    return Path(root)


def probe(dataset: str, run_id: str, out_dir: Path) -> dict:
    env = django_env(dataset, page_cache=False, run_id=run_id)
    output = run([PYTHON, BENCH / "probe.py", "pages", out_dir], env=env, capture=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# Servers ----------------------------------------------------------------------------------


class Server:
    """gunicorn as production starts it, on a loopback port; watches its workers' memory."""

    def __init__(self, name: str, dataset: str, page_cache: bool, run_id: str):
        self.name, self.port = name, PORTS[name]
        self.env = django_env(dataset, page_cache, run_id)
        self.log = RESULTS / f"gunicorn-{name}.log"
        self.peak_rss_kb = 0
        self._stop = threading.Event()
        self.process = None

    def start(self) -> Server:
        # gunicorn reads ./gunicorn.conf.py by itself; a draft not yet committed is kept out.
        command = [GUNICORN, "eye_site.wsgi:application", "--config", gunicorn_config()]
        # On the command line, these override the config file: the benchmark's fixed shape.
        command += [
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--threads",
            "1",
        ]
        self.process = subprocess.Popen(
            [str(part) for part in command],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn ({self.name}) stopped at start; see {self.log}")
            try:
                fetch(self.url("/nl/"))
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            sys.exit(f"gunicorn ({self.name}) did not answer within 60 s; see {self.log}")
        threading.Thread(target=self._watch, daemon=True).start()
        say(f"gunicorn {self.name} on {self.url('/')} (pid {self.process.pid})")
        return self

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def _watch(self) -> None:
        # VmHWM is each worker's own peak; sampling also catches workers that were replaced.
        while not self._stop.is_set():
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                match = re.search(r"VmHWM:\s+(\d+) kB", status)
                if match:
                    self.peak_rss_kb = max(self.peak_rss_kb, int(match.group(1)))
            self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def gunicorn_config() -> Path:
    """The project's gunicorn.conf.py once it is committed, else gunicorn's defaults."""
    path = ROOT / "gunicorn.conf.py"
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", path.name], cwd=ROOT, capture_output=True
    )
    if path.exists() and tracked.returncode == 0:
        return path
    empty = RESULTS / "gunicorn-defaults.conf.py"
    empty.write_text('"""No project gunicorn.conf.py yet: gunicorn\'s defaults."""\n')
    return empty


def fetch(url: str, headers=None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), dict(response.headers)


# Measuring ----------------------------------------------------------------------------------


def wrk(url: str, seconds: int, connections: int, script: Path, env=None) -> dict:
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, text=True, capture_output=True, env=env).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(
        result[key]
        for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return result


def warm_up(url: str) -> None:
    # Not counted: each worker's first requests fill its caches (compiled templates,
    # translations, image renditions) and the page cache; wait until both workers answer fast.
    for _attempt in range(10):
        if wrk(url, 2, 2, BENCH / "page.lua")["requests"] >= 20:
            break


def measure_alternating(urls: dict[str, str], seconds: int, connections: int) -> dict[str, dict]:
    """Measures close rivals (the static file and the cached page; the uncached page at both
    database sizes) in turns, ROUNDS times each, and keeps each one's median round: other work
    on the machine then weighs on both alike, where one long run each would hand a passing
    slowdown to whichever ran during it."""
    for url in urls.values():
        warm_up(url)
    rounds: dict[str, list[dict]] = {name: [] for name in urls}
    for _round in range(ROUNDS):
        for name, url in urls.items():
            rounds[name].append(wrk(url, seconds, connections, BENCH / "page.lua"))
    results = {}
    for name, runs in rounds.items():
        median = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
        median["errors"] = sum(run["errors"] for run in runs) + (0 if median["requests"] else 1)
        median["rounds_rps"] = [round(run["rps"]) for run in runs]
        results[name] = median
    return results


# Lighthouse and page weight -------------------------------------------------------------------


class AssetParser(HTMLParser):
    """The stylesheets, scripts and preloaded fonts a page asks for on first load."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            if (attrs.get("media") or "all") not in ("print",):
                self.assets.append(attrs["href"])
        elif tag == "link" and "preload" in rel and attrs.get("as") in ("font", "script", "style"):
            self.assets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def first_load_weight(server: Server, path: str) -> dict:
    """HTML, CSS, JavaScript and fonts of a first visit, as sent compressed (gzip or brotli)."""
    accept = {"Accept-Encoding": "br, gzip"}
    _status, html, headers = fetch(server.url(path), accept)
    html_size = len(html) if headers.get("Content-Encoding") else len(gzip.compress(html, 6))
    plain = html if not headers.get("Content-Encoding") else fetch(server.url(path))[1]
    parser = AssetParser()
    parser.feed(plain.decode("utf-8", "replace"))
    seen, sizes = set(), {"html": html_size, "css": 0, "js": 0, "font": 0}
    queue = list(parser.assets)
    while queue:
        asset = queue.pop(0)
        if asset in seen or asset.startswith(("http:", "https:", "//", "data:")):
            continue
        seen.add(asset)
        _status, body, asset_headers = fetch(server.url(asset), accept)
        size = len(body) if asset_headers.get("Content-Encoding") else len(gzip.compress(body, 6))
        if asset.endswith(".css"):
            sizes["css"] += size
            css = fetch(server.url(asset))[1].decode("utf-8", "replace")
            base = asset.rsplit("/", 1)[0]
            for ref in re.findall(r"url\(['\"]?([^'\")]+\.woff2?)['\"]?\)", css):
                queue.append(ref if ref.startswith("/") else f"{base}/{ref}")
        elif asset.endswith(".js"):
            sizes["js"] += size
        else:
            sizes["font"] += len(body)
    sizes["total"] = sum(sizes.values())
    return sizes


def lighthouse(cli: Path, server: Server, path: str, out: Path) -> dict:
    """Lighthouse LIGHTHOUSE_RUNS times on one page; the scores of its own median run.

    One run's performance score swings by several points with the host's load (Lighthouse's
    docs/variability.md: the median of five runs is about twice as stable as one run), so
    Lighthouse's `computeMedianRun` picks the run whose paint and interactive times are the
    median ones, and the report gives its scores with the range of all runs' performance.
    """
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    runs, performance = [], []
    for number in range(1, LIGHTHOUSE_RUNS + 1):
        run_out = out.with_suffix(f".run{number}.json")
        command = [
            "node",
            cli,
            server.url(path),
            "--quiet",
            "--output=json",
            f"--output-path={run_out}",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={CHROME_FLAGS}",
            '--extra-headers={"X-Forwarded-Proto": "https"}',
        ]
        for _attempt in range(LIGHTHOUSE_ATTEMPTS):
            run_out.unlink(missing_ok=True)
            result = run(command, env=env, check=False)
            # Now and then Chromium's trace misses the navigation (NO_NAVSTART, "run Lighthouse
            # again"): that says nothing about the page, so it is run again.
            if not result.returncode and run_out.exists():
                break
            say(f"  Lighthouse exited with {result.returncode}; trying again")
        else:
            return {"error": f"lighthouse exited with {result.returncode}"}
        runs.append(run_out)
        performance.append(json.loads(run_out.read_text())["categories"]["performance"]["score"])
    median = run(
        ["node", BENCH / "median_run.mjs", cli.parent.parent, *runs], capture=True
    ).stdout.strip()
    shutil.copyfile(median, out)
    for run_out in runs:
        run_out.unlink()
    report = json.loads(out.read_text())
    scores = {
        key: round((category["score"] or 0) * 100) for key, category in report["categories"].items()
    }
    scores["performance_runs"] = [round((score or 0) * 100) for score in performance]
    failed = sorted(
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    scores["failed_audits"] = failed
    return scores


# Report -------------------------------------------------------------------------------------


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def build_report(results: dict) -> tuple[str, list[tuple[str, bool, str]]]:
    pages = results["pages"]
    checks: list[tuple[str, bool, str]] = []
    lines = [
        f"Run {results['started']} on {results['machine']}; gunicorn, 2 sync workers, "
        f"production settings; wrk {results['connections']} connections, "
        f"each figure the median of {ROUNDS} turns of {max(2, results['seconds'] // 2)} s, "
        "alternating static with warm and cold at 50,000 with cold at 1,000 screenings; "
        f"database: {results['screenings']:,} screenings. "
        "Ratio = requests/s of the page ÷ requests/s of the same bytes as a static file "
        "(WhiteNoise, same gunicorn). CPU ms/render: one render in-process at 50,000 screenings "
        "(page cache off), which depends little on other load; 2 workers can serve at most "
        "about 2,000 ÷ that many pages a second.",
    ]
    if results.get("note"):
        lines.append(f"Note: {results['note']}")
    if "load_before" in results:
        lines.append(
            "Load average (1, 5, 15 min) before: {:.1f}, {:.1f}, {:.1f}; after: {:.1f}, {:.1f}, "
            "{:.1f} (on 2 cores; the benchmark itself adds about 2 while it runs).".format(
                *results["load_before"], *results["load_after"]
            )
        )
    lines += [
        "",
        "| page | static req/s | cold req/s | cold p50 / p99 ms | cold ratio | warm req/s "
        "| warm p50 / p99 ms | warm ratio | queries 1k / 50k | cold p50 ms 1k → 50k "
        "| CPU ms/render |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in pages.items():
        static, cold, warm, small = page["static"], page["cold"], page["warm"], page["small"]
        cold_ratio, warm_ratio = cold["rps"] / static["rps"], warm["rps"] / static["rps"]
        growth = cold["p50_us"] / small["p50_us"] if small["p50_us"] else float("inf")
        lines.append(
            f"| {LABELS[name]} | {static['rps']:,.0f} | {cold['rps']:,.0f} "
            f"| {ms(cold['p50_us'])} / {ms(cold['p99_us'])} | {cold_ratio:.3f} "
            f"| {warm['rps']:,.0f} | {ms(warm['p50_us'])} / {ms(warm['p99_us'])} "
            f"| {warm_ratio:.3f} | {page['queries_small']} / {page['queries_large']} "
            f"| {ms(small['p50_us'])} → {ms(cold['p50_us'])} (×{growth:.2f}) "
            f"| {page.get('cpu_ms') or '–'} |"
        )
        if name in COLD_TARGETS:
            target = COLD_TARGETS[name]
            checks.append(
                (
                    f"cold {LABELS[name]} ≥ {target} of static",
                    cold_ratio >= target,
                    f"{cold_ratio:.3f}",
                )
            )
        checks.append(
            (
                f"warm {LABELS[name]} ≥ {WARM_TARGET} of static",
                warm_ratio >= WARM_TARGET,
                f"{warm_ratio:.3f}",
            )
        )
        same = page["queries_small"] == page["queries_large"]
        checks.append(
            (
                f"queries {LABELS[name]} ≤ {MAX_QUERIES}, same at 1k and 50k",
                same and page["queries_large"] <= MAX_QUERIES,
                f"{page['queries_small']} / {page['queries_large']}",
            )
        )
        checks.append(
            (
                f"cold p50 {LABELS[name]} at 50k ≤ {MAX_P50_GROWTH} × at 1k",
                growth <= MAX_P50_GROWTH,
                f"×{growth:.2f}",
            )
        )
        errors = sum(page[kind]["errors"] for kind in ("static", "cold", "warm", "small"))
        if errors:
            checks.append((f"no errors measuring {LABELS[name]}", False, str(errors)))
    memory_mb = results["peak_worker_rss_kb"] / 1024
    checks.append(
        (
            f"worker peak memory ≤ {MAX_WORKER_MB} MB",
            memory_mb <= MAX_WORKER_MB,
            f"{memory_mb:.0f} MB",
        )
    )
    lines += ["", f"Peak memory of a worker (VmHWM, any server): **{memory_mb:.0f} MB**."]

    mix = results.get("mix")
    if mix:
        bad = mix["errors"] + mix["non2xx"]
        checks.append(("60 s mix at 32 connections: no errors, no non-2xx", bad == 0, f"{bad}"))
        lines += [
            "",
            f"Whole mix ({mix['paths']} addresses, both languages, {mix['server']}): "
            f"{mix['seconds']} s at {mix['connections']} connections: {mix['requests']:,} requests, "
            f"{mix['rps']:,.0f} req/s, p50 {ms(mix['p50_us'])} ms, p99 {ms(mix['p99_us'])} ms, "
            f"errors {mix['errors']}, non-2xx {mix['non2xx']}.",
        ]

    audits = results.get("lighthouse")
    if audits:
        lines += [
            "",
            (
                f"Lighthouse (mobile), the median of {LIGHTHOUSE_RUNS} runs by Lighthouse's "
                "computeMedianRun (performance: the median run's score, then the range over all "
                "runs), and first-load weight (HTML + CSS + JS + fonts, compressed):"
            ),
            "",
            "| page | performance | accessibility | best practices | SEO | weight KB | not passed |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for key, audit in audits.items():
            weight = audit["weight"]["total"] / 1024
            checks.append(
                (
                    f"first load of {key} ≤ 100 KB",
                    audit["weight"]["total"] <= WEIGHT_LIMIT,
                    f"{weight:.1f} KB",
                )
            )
            if "error" in audit:
                lines.append(f"| {key} | {audit['error']} | | | | {weight:.1f} | |")
                checks.append((f"Lighthouse {key}", False, audit["error"]))
                continue
            categories = ("performance", "accessibility", "best-practices", "seo")
            figures = {c: str(audit[c]) for c in categories}
            if audit.get("performance_runs"):
                runs = audit["performance_runs"]
                figures["performance"] += f" ({min(runs)}–{max(runs)})"
            lines.append(
                f"| {key} | "
                + " | ".join(figures.values())
                + f" | {weight:.1f} | {', '.join(audit['failed_audits'][:6])} |"
            )
            low = {c: audit[c] for c in categories if audit[c] < 100}
            checks.append((f"Lighthouse {key}: 100 everywhere", not low, str(low or "100")))

    film = results["pages"].get("film", {}).get("cold")
    picture_lines, picture_checks = pictures.report(results, film and film["p50_us"] / 1000)
    lines += ["", *picture_lines] if picture_lines else []
    checks += picture_checks
    lines += ["", "Targets:", "", "| target | figure | met |", "|---|---:|:---:|"]
    lines += [f"| {what} | {figure} | {'yes' if ok else '**no**'} |" for what, ok, figure in checks]
    return "\n".join(lines) + "\n", checks


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results["pages"])
    cold = [
        results["pages"][n]["cold"]["rps"] / results["pages"][n]["static"]["rps"] for n in names
    ]
    warm = [
        results["pages"][n]["warm"]["rps"] / results["pages"][n]["static"]["rps"] for n in names
    ]
    figure, axis = plt.subplots(figsize=(9, 5.2), dpi=110)
    rows = range(len(names))
    axis.barh(
        [r + 0.2 for r in rows], warm, height=0.38, label="warm (page cache on)", color="#2b6cb0"
    )
    axis.barh(
        [r - 0.2 for r in rows], cold, height=0.38, label="cold (page cache off)", color="#dd6b20"
    )
    for row, name in enumerate(names):
        if name in COLD_TARGETS:
            axis.plot(
                [COLD_TARGETS[name]] * 2, [row - 0.42, row + 0.02], color="black", linewidth=1.5
            )
        axis.text(cold[row] + 0.01, row - 0.2, f"{cold[row]:.2f}", va="center", fontsize=8)
        axis.text(warm[row] + 0.01, row + 0.2, f"{warm[row]:.2f}", va="center", fontsize=8)
    axis.axvline(
        WARM_TARGET, color="#2b6cb0", linestyle="--", linewidth=1, label="warm target 0.95"
    )
    axis.axvline(1.0, color="grey", linewidth=0.8)
    axis.set_yticks(list(rows), [LABELS[n] for n in names])
    axis.invert_yaxis()
    axis.set_xlabel("requests/s as a share of the same HTML served as a static file")
    axis.set_xlim(0, max(1.1, *warm, *cold) + 0.1)
    axis.set_title(
        f"Pages at {results['screenings']:,} screenings (black ticks: cold targets)", fontsize=10
    )
    # Below the plot: every bar may reach past 1.0, so no corner inside it is free.
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize=8, frameon=False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


README_START = "<!-- bench:start (written by bench/run.py) -->"
README_END = "<!-- bench:end -->"


def update_readme(report: str) -> None:
    """Put the latest table between the README's markers, so the README shows what was measured."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        say("README.md has no benchmark markers; not updated")
        return
    before, rest = text.split(README_START, 1)
    _old, after = rest.split(README_END, 1)
    readme.write_text(f"{before}{README_START}\n{report}{README_END}{after}")


# Main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 s runs, 10 s mix, no Lighthouse")
    parser.add_argument("--keep-data", action="store_true", help="reuse the bench databases")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated page types")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from latest.json"
    )
    parser.add_argument(
        "--profile", metavar="PAGE", help="profile renders of one page type on the 50k data set"
    )
    args = parser.parse_args()
    if args.report_only:
        return write_report(json.loads((RESULTS / "latest.json").read_text()), publish=True)
    if args.profile:
        run_id = time.strftime("%Y%m%d%H%M%S")
        build_data(run_id, keep=True)
        env = django_env("large", page_cache=False, run_id=run_id)
        return run([PYTHON, BENCH / "probe.py", "profile", args.profile], env=env).returncode
    seconds = args.seconds or (3 if args.quick else 10)
    mix_seconds = 10 if args.quick else 60
    run_id = time.strftime("%Y%m%d%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)

    ensure_debian("wrk", "wrk")
    cli = None if (args.quick or args.no_lighthouse) else ensure_lighthouse()
    build_data(run_id, keep=args.keep_data)
    draw_pictures(run_id)
    static_root = collect_static(run_id)
    baseline_dir = static_root / "bench"
    say("Counting queries and keeping each page's HTML")
    large = probe("large", run_id, baseline_dir)
    small = probe("small", run_id, RESULTS / "pages-small")
    for key, page in {**large, **{f"{k} (1k)": v for k, v in small.items()}}.items():
        if page["status"] != 200:
            sys.exit(f"{key} answered {page['status']} in the probe: {page['url']}")
    (RESULTS / "queries.json").write_text(json.dumps({"large": large, "small": small}, indent=1))

    wanted = [n for n in args.only.split(",") if n] or [n for n in LABELS]
    servers = {
        "cold": Server("cold", "large", page_cache=False, run_id=run_id),
        "warm": Server("warm", "large", page_cache=True, run_id=run_id),
        "small": Server("small", "small", page_cache=False, run_id=run_id),
    }
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}",
        "connections": args.connections,
        "seconds": seconds,
        "screenings": DATASETS["large"][1],
        "pages": {},
        # Other work on the machine takes CPU from the servers and from wrk alike; say how much.
        "load_before": os.getloadavg(),
    }
    try:
        for server in servers.values():
            server.start()
        for name in wanted:
            suffix = ".ics" if name == "screening_ics" else ".html"
            static_path = f"/static/bench/{name}{suffix}"
            status, body, _headers = fetch(servers["warm"].url(static_path))
            assert status == 200 and body == (baseline_dir / f"{name}{suffix}").read_bytes()
            page = {"url": large[name]["url"], "bytes": large[name]["bytes"]}
            page["queries_large"] = large[name]["queries"]
            page["queries_small"] = small[name]["queries"]
            page["cpu_ms"] = large[name].get("cpu_ms")
            say(f"{LABELS[name]}: {page['url']} ({page['bytes'] / 1024:.0f} KB)")
            page.update(
                measure_alternating(
                    {
                        "static": servers["warm"].url(static_path),
                        "warm": servers["warm"].url(page["url"]),
                    },
                    max(2, seconds // 2),
                    args.connections,
                )
            )
            # The uncached page at 50,000 and at 1,000 screenings, also in turns: their p50s
            # are compared, and one run after the other let the host's drift decide (home's
            # read x1.09, x0.74 and x1.64 in three runs with no code changed between them).
            page.update(
                measure_alternating(
                    {
                        "cold": servers["cold"].url(page["url"]),
                        "small": servers["small"].url(small[name]["url"]),
                    },
                    max(2, seconds // 2),
                    args.connections,
                )
            )
            ratio = page["cold"]["rps"] / page["static"]["rps"]
            say(
                f"  static {page['static']['rps']:,.0f}/s · cold {page['cold']['rps']:,.0f}/s "
                f"({ratio:.3f}) · warm {page['warm']['rps']:,.0f}/s · cold@1k p50 "
                f"{ms(page['small']['p50_us'])} ms vs {ms(page['cold']['p50_us'])} ms"
            )
            results["pages"][name] = page

        mix_file = RESULTS / "mix.txt"
        mix_file.write_text("\n".join(page["url"] for page in large.values()) + "\n")
        say(f"Whole mix on the cold server: {mix_seconds} s at 32 connections")
        mix = wrk(
            servers["cold"].url("/"),
            mix_seconds,
            32,
            BENCH / "mix.lua",
            env={**os.environ, "BENCH_MIX": str(mix_file)},
        )
        mix.update(seconds=mix_seconds, connections=32, server="page cache off")
        results["mix"] = mix
        say(f"  {mix['requests']:,} requests, errors {mix['errors']}, non-2xx {mix['non2xx']}")

        if cli:
            results["lighthouse"] = {}
            for language in ("nl", "en"):
                for name in LIGHTHOUSE_PAGES:
                    key = name if language == "nl" else f"{name}_en"
                    path = large[key]["url"]
                    say(f"Lighthouse {key}: {path}")
                    audit = lighthouse(
                        cli, servers["warm"], path, RESULTS / f"lighthouse-{key}.json"
                    )
                    audit["weight"] = first_load_weight(servers["warm"], path)
                    audit["url"] = path
                    results["lighthouse"][key] = audit
    finally:
        results["peak_worker_rss_kb"] = max(server.peak_rss_kb for server in servers.values())
        results["load_after"] = os.getloadavg()
        for server in servers.values():
            server.stop()
    if not args.only:
        env = django_env("large", page_cache=True, run_id=run_id)
        results["pictures"] = pictures.measure(env, PYTHON, GUNICORN, say)

    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1, default=str))
    return write_report(results, publish=not args.quick and not args.only)


def write_report(results: dict, publish: bool) -> int:
    report, checks = build_report(results)
    (RESULTS / "latest.md").write_text(report)
    chart(results, RESULTS / "latest.png")
    if publish:
        PUBLISHED.mkdir(parents=True, exist_ok=True)
        for name in ("latest.md", "latest.png"):
            shutil.copy(RESULTS / name, PUBLISHED / name)
        update_readme(report)
    print()
    print(report)
    missed = [what for what, ok, _figure in checks if not ok]
    say(
        f"Wrote {RESULTS / 'latest.md'}, {RESULTS / 'latest.png'}, {RESULTS / 'latest.json'}; "
        f"{len(checks) - len(missed)} of {len(checks)} targets met."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
