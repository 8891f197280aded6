"""The benchmark behind `make bench`: every page type cold and warm beside a static file, the week's
agenda beside a plain Django page, and the page cache under the traffic a real site gets.

What one run does, on this machine, against its PostgreSQL and a Redis of its own:
  1. builds two databases with `make_bench_data`: eye_bench (50,000 screenings) and
     eye_bench_small (1,000; the same films and the same coming weeks, less history), and draws
     their pictures (`prepare_pictures --draw`, as a worker would);
  2. renders each page once in-process to count its queries at both sizes, time its render
     and keep its HTML; the HTML goes into STATIC_ROOT/bench/ as the static-file baseline;
  3. starts its own Redis (127.0.0.1:6390, so the machine's is never stopped) and gunicorn with
     the production settings (DEBUG off, 2 sync workers, gunicorn.conf.py) on loopback: the large
     database with the page cache off (cold) and on (warm; it also serves the baseline files
     through WhiteNoise), the small one cold, and the reference page (bench/reference.py);
  4. measures each page type with wrk, side by side: the static baseline and the cached page in
     alternating turns, three each, median kept; so too cold at 50,000 and at 1,000;
  5. the week's agenda cold against the reference page, each against its own static file, in
     alternating turns;
  6. runs the whole page mix cold for 60 s at 32 connections and counts errors and non-2xx;
  7. traffic on the warm server: the warm mix with and without a ticket-state change every 2 s;
     4 visitors beside 32 connections asking for one canonical address, for addresses with a
     parameter no two share (?utm_source=N), and for the agenda's dates over the next year;
  8. one process without Redis, as one small machine runs it: with 4 threads and with 1;
  9. runs Lighthouse (mobile) five times on five page types in both languages, keeps its median
     run (see lighthouse()), and weighs each first load;
 10. stops its Redis under load and starts it again (visitors' answers, /readyz);
 11. unless --only: saves a film with a new 24 MP poster in the admin while a worker runs
     (bench/pictures.py) and times the save and how long until the page's pictures are drawn;
 12. writes bench/results/latest.{md,json,png}; a full run copies them to docs/bench/ and the
     table into the README.

Options: --quick (short runs, no Lighthouse: for trying changes), --keep-data, --no-lighthouse,
--seconds N (per page measurement), --only NAME[,NAME] (page types and/or parts: reference, mix,
edits, floods, single, outage), --profile NAME (where one page type's renders spend their time, by
pyinstrument, on the kept 50,000-screening database).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import children  # bench/children.py: every process the bench starts, and their end
import pictures  # bench/pictures.py: the save and drawing step

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PUBLISHED = ROOT / "docs" / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
HOST = "127.0.0.1"
# The bench's own Redis: the outage scenario stops it, which must never stop the machine's.
REDIS_PORT = 6390
REDIS = f"redis://{HOST}:{REDIS_PORT}/0"
# (bench/pictures.py's own server takes 8114.)
PORTS = {"cold": 8111, "warm": 8112, "small": 8113, "reference": 8115, "single": 8116}
DATASETS = {"large": ("eye_bench", 50_000), "small": ("eye_bench_small", 1_000)}
# The site plus the reference page's address (bench/reference.py); production's own otherwise.
REFERENCE_SETTINGS = "bench.reference_settings"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_PAGES = ("home", "agenda", "programme", "film", "event")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
WEIGHT_LIMIT = 100 * 1024
# Turns each of the static file and the cached page gets (see measure_alternating).
ROUNDS = 3
LIGHTHOUSE_ATTEMPTS = 3
LIGHTHOUSE_RUNS = 5
PAGE_SCRIPT = BENCH / "page.lua"
PATHS_SCRIPT = BENCH / "paths.lua"
# The traffic scenarios: a few visitors beside a flood of requests from one client.
VISITORS = 4
FLOOD = 32
MIX_CONNECTIONS = 32
FLOOD_DAYS = 366
# Who asks, as the load balancer names them in X-Forwarded-For (the servers trust one proxy): the
# visitors, each from an address of their own; a flooder from one address; a crowd of clients
# each asking for a few uncached pages (networks reserved for documentation, RFC 5737). The site
# keys each client's miss budget on that address.
VISITOR_NETWORK = "198.51.100."
FLOODER_NETWORK = "203.0.113."
CROWD_NETWORK = "192.0.2."

# Targets (issue 12, replacing issue 5's cold ratios of 0.10 and 0.15): a share of the static
# file's requests per second for the film page, and the agenda against the reference page.
COLD_TARGETS = {"film": 0.05}
REFERENCE_FACTOR = 1.5
WARM_TARGET = 0.95
MAX_QUERIES = 10
MAX_P50_GROWTH = 1.2
MAX_WORKER_MB = 150
# Visitors beside each flood, against their p50 beside a flood of one canonical address.
FLOOD_TARGETS = {"unknown_params": 1.5, "dates": 3.0}
EDIT_P99_FACTOR = 2.0
LABELS = {
    "home": "home",
    "agenda": "agenda (next 7 days)",
    "agenda_day_language": "agenda, one day, English",
    "programme": "programme",
    "film": "film",
    "event": "event",
    "person": "person",
    "films": "films index (A–Z)",
    "search": "search, a misspelt director",
    "screening_ics": "screening .ics",
}
PARTS = ("reference", "mix", "edits", "floods", "single", "outage")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Progress:
    """Numbers the steps of a run and says how long it has taken so far."""

    def __init__(self, steps: list[str]):
        self.steps, self.done, self.started = steps, 0, time.monotonic()

    def step(self, name: str) -> None:
        self.done += 1
        minutes = (time.monotonic() - self.started) / 60
        say(f"Step {self.done} of {len(self.steps)} ({minutes:.0f} min so far): {name}")


def run(command: list, env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    return children.run(command, env=env, cwd=ROOT, check=check, capture=capture)


# Environment ------------------------------------------------------------------------------


def django_env(dataset: str, page_cache: bool, run_id: str, **changes: str) -> dict[str, str]:
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
        # Production recycles a worker every ~100,000 requests; at thousands of requests a second
        # (static and cached pages) that would measure worker restarts, not pages.
        GUNICORN_MAX_REQUESTS="0",
        DATABASE_URL=f"{POSTGRES}/{name}",
        MEDIA_ROOT=str(RESULTS / "media"),
        CACHE_URL=REDIS,
        # A fresh prefix each run: bulk-built data sends no signals to bump the page cache.
        CACHE_KEY_PREFIX=f"bench-{run_id}-{dataset}",
        PAGE_CACHE_SECONDS="300" if page_cache else "0",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        # Behind one load balancer, which names the client (paths.lua sends X-Forwarded-For).
        TRUSTED_PROXY_COUNT="1",
    )
    env.update(changes)
    return env


def ensure_debian(command: str, package: str) -> None:
    """A tool from Debian's packages (wrk, Redis, Chromium for Lighthouse), installed when missing."""
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
        # Migrated even when kept: the code may have moved on since it was built.
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
        if exists and keep:
            say(f"Keeping database {name} (migrated)")
            continue
        say(f"Database {name}: {count:,} screenings")
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
    env = django_env(
        dataset, page_cache=False, run_id=run_id, DJANGO_SETTINGS_MODULE=REFERENCE_SETTINGS
    )
    output = run([PYTHON, BENCH / "probe.py", "pages", out_dir], env=env, capture=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# Servers ----------------------------------------------------------------------------------


class Redis:
    """A Redis of the bench's own, without persistence, that the outage scenario may stop."""

    def __init__(self):
        self.log = RESULTS / "redis.log"
        self.process = None

    def start(self) -> Redis:
        self.process = children.spawn(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "512mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(
                    f"redis-server stopped at start (port {REDIS_PORT} taken?); see {self.log}"
                )
            ping = subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return self
            time.sleep(0.1)
        sys.exit(f"redis-server did not answer on port {REDIS_PORT}; see {self.log}")

    def stop(self) -> None:
        if self.process:
            children.stop(self.process, timeout=10)


class Server:
    """gunicorn as production starts it, on a loopback port; watches its workers' memory.

    `shape` (worker class, workers, threads) overrides gunicorn.conf.py's; None keeps the
    project's own choice (the single-process scenario measures that choice)."""

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        shape: tuple[str, int, int] | None = ("sync", 2, 1),
    ):
        self.name, self.port, self.env, self.shape = name, PORTS[name], env, shape
        self.log = RESULTS / f"gunicorn-{name}.log"
        self.peak_rss_kb = 0
        self._stop = threading.Event()
        self.process = None

    def start(self) -> Server:
        # gunicorn reads ./gunicorn.conf.py by itself; a draft not yet committed is kept out.
        command = [GUNICORN, "eye_site.wsgi:application", "--config", gunicorn_config()]
        command += ["--bind", f"{HOST}:{self.port}"]
        if self.shape:
            worker_class, workers, threads = self.shape
            # On the command line, these override the config file: the benchmark's fixed shape.
            command += ["--worker-class", worker_class]
            command += ["--workers", str(workers), "--threads", str(threads)]
        self.process = children.spawn(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
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
        if self.process:
            children.stop(self.process)


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


def status_of(url: str) -> int:
    """The answer's status, an error status included; 0 when nothing answered."""
    try:
        return fetch(url)[0]
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# Measuring ----------------------------------------------------------------------------------


def start_wrk(
    url: str, seconds: float, connections: int, script: Path, threads: int = 2, **env: str
) -> subprocess.Popen:
    command = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections)]
    command += ["-d", f"{seconds:g}s", "--timeout", "30s", "-s", str(script), url]
    return children.spawn(
        command,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )


def wrk_result(process: subprocess.Popen) -> dict:
    output, errors = process.communicate()
    if process.returncode:
        sys.exit(f"wrk failed ({process.returncode}): {errors.strip()}")
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    # Connections that failed or timed out; answers that were not 2xx are counted apart.
    result["errors"] = sum(
        result[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return result


def wrk(url: str, seconds: float, connections: int, script: Path = PAGE_SCRIPT, **env) -> dict:
    return wrk_result(start_wrk(url, seconds, connections, script, **env))


def walk(
    server: Server,
    seconds: float,
    connections: int,
    paths: Path,
    clients: int,
    network: str = VISITOR_NETWORK,
    unique: bool = False,
) -> subprocess.Popen:
    """wrk walking the addresses in `paths` (bench/paths.lua), its requests coming from `clients`
    addresses in turn; with `unique`, each with a parameter of its own (?utm_source=N)."""
    return start_wrk(
        server.url("/"),
        seconds,
        connections,
        PATHS_SCRIPT,
        BENCH_PATHS=str(paths),
        BENCH_CLIENTS=str(clients),
        BENCH_NETWORK=network,
        BENCH_UNIQUE="1" if unique else "",
    )


def warm_up(url: str) -> None:
    # Not counted: each worker's first requests fill its caches (compiled templates,
    # translations, image renditions) and the page cache; wait until both workers answer fast.
    for _attempt in range(10):
        if wrk(url, 2, 2)["requests"] >= 20:
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
            rounds[name].append(wrk(url, seconds, connections))
    results = {}
    for name, runs in rounds.items():
        median = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
        median["errors"] = sum(r["errors"] + r["status_errors"] for r in runs) + (
            0 if median["requests"] else 1
        )
        median["rounds_rps"] = [round(run["rps"]) for run in runs]
        results[name] = median
    return results


def paths_file(name: str, paths: list[str]) -> Path:
    path = RESULTS / f"paths-{name}.txt"
    path.write_text("\n".join(paths) + "\n")
    return path


def side_by_side(
    server: Server,
    seconds: float,
    visitors: Path,
    visitor_connections: int = VISITORS,
    flood: Path | None = None,
    unique: bool = False,
    flood_clients: int = 1,
    editor_env: dict | None = None,
) -> dict:
    """Visitors walking the page mix while, at the same time, a flood of requests comes in (wrk
    over `flood`'s paths, from one client unless `flood_clients` says more) or the box office
    changes ticket states (probe.py edits). The visitors' pages are asked for once first (not
    counted), so they start cached."""
    wrk_result(walk(server, 2, VISITORS, visitors, clients=VISITORS))
    others = {}
    if flood is not None:
        network = FLOODER_NETWORK if flood_clients == 1 else CROWD_NETWORK
        others["flood"] = walk(
            server, seconds, FLOOD, flood, clients=flood_clients, network=network, unique=unique
        )
    if editor_env is not None:
        others["editor"] = children.spawn(
            [PYTHON, BENCH / "probe.py", "edits", seconds],
            cwd=ROOT,
            env=editor_env,
            text=True,
            stdout=subprocess.PIPE,
        )
    result = {
        "visitors": wrk_result(
            walk(server, seconds, visitor_connections, visitors, clients=visitor_connections)
        )
    }
    if "flood" in others:
        result["flood"] = wrk_result(others["flood"])
    if "editor" in others:
        output, _errors = others["editor"].communicate()
        if others["editor"].returncode:
            sys.exit("The editor (probe.py edits) failed; see above.")
        result["editor"] = json.loads(output.strip().splitlines()[-1])
    return result


def describe(result: dict) -> str:
    visitors = result["visitors"]
    text = (
        f"visitors p50 {ms(visitors['p50_us'])} ms, p99 {ms(visitors['p99_us'])} ms, "
        f"non-2xx {visitors['non2xx']}"
    )
    if "flood" in result:
        flood = result["flood"]
        text += (
            f"; flood {flood['rps']:,.0f} req/s, 5xx {flood['status_5xx']}, "
            f"429 {flood['status_429']}"
        )
    if "editor" in result:
        text += f"; {result['editor']['edits']} edits"
    return text


def dates_file(agenda: str) -> Path:
    """The agenda's days over the next year, each its own address (and so its own render)."""
    today = datetime.date.today()
    days = (today + datetime.timedelta(days=day) for day in range(FLOOD_DAYS))
    return paths_file("dates", [f"{agenda}?date={day.isoformat()}" for day in days])


def traffic(
    server: Server, reference_url: str, agenda: str, mix: Path, seconds: float, parts, env
) -> dict:
    """The scenarios of issue 12 on the warm server, each beside its own baseline."""
    results = {}
    if "floods" in parts:
        floods = {
            "alone": None,
            "canonical": paths_file("canonical", [agenda]),
            "unknown_params": paths_file("canonical", [agenda]),
            "dates": dates_file(agenda),
        }
        for name, flood in floods.items():
            say(f"  {VISITORS} visitors beside {name if flood else 'nothing'} ({seconds:g} s)")
            results[name] = side_by_side(
                server, seconds, mix, flood=flood, unique=name == "unknown_params"
            )
            say(f"    {describe(results[name])}")
        say(f"  {VISITORS} connections on the reference page (page cache off) ({seconds:g} s)")
        results["reference"] = {"visitors": wrk(reference_url, seconds, VISITORS)}
        results["reference"]["visitors"]["non2xx"] = results["reference"]["visitors"][
            "status_errors"
        ]
    if "edits" in parts:
        for name, editor in (("mix", None), ("mix_edits", env)):
            say(f"  warm mix at {MIX_CONNECTIONS} connections, {'with' if editor else 'no'} edits")
            results[name] = side_by_side(
                server, seconds, mix, visitor_connections=MIX_CONNECTIONS, editor_env=editor
            )
            say(f"    {describe(results[name])}")
    return results


def single_process(run_id: str, agenda: str, mix: Path, dates: Path, seconds: float) -> dict:
    """One machine without Redis: the page cache in the process's memory, so one process. With
    four threads and with one: the agenda uncached (page cache off), and visitors beside a crowd
    asking for uncached dates (page cache on), FLOOD clients each within its miss budget, so that
    the process renders all it can, as after an edit on a busy day."""
    results = {
        "conf": configured_shape(django_env("large", True, run_id, CACHE_URL="locmemcache://"))
    }
    for name, shape in (("threads", ("gthread", 1, 4)), ("sync", ("sync", 1, 1))):
        results[name] = {"shape": shape}
        for page_cache in (False, True):
            env = django_env("large", page_cache, run_id, CACHE_URL="locmemcache://")
            server = Server("single", env, shape)
            try:
                server.start()
                if page_cache:
                    say(f"  {name}: {VISITORS} visitors beside a crowd on dates ({seconds:g} s)")
                    results[name].update(
                        side_by_side(server, seconds, mix, flood=dates, flood_clients=FLOOD)
                    )
                    say(f"    {describe(results[name])}")
                else:
                    say(f"  {name}: the agenda uncached, 8 connections ({seconds:g} s)")
                    warm_up(server.url(agenda))
                    results[name]["agenda"] = wrk(server.url(agenda), seconds, 8)
                    say(f"    {results[name]['agenda']['rps']:,.0f} req/s")
            finally:
                server.stop()
    return results


def configured_shape(env: dict[str, str]) -> tuple[str, int, int]:
    """The worker class, workers and threads gunicorn.conf.py chooses in this environment."""
    code = (
        "import runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(c.get('worker_class', 'gthread' if c['threads'] > 1 else 'sync'), "
        "c['workers'], c['threads'])"
    )
    worker_class, workers, threads = run([PYTHON, "-c", code], env=env, capture=True).stdout.split()
    return worker_class, int(workers), int(threads)


def outage(server: Server, redis: Redis, mix: Path, seconds: float, paths: list[str]) -> dict:
    """Visitors walk the page mix while the cache's Redis is stopped and, later, started again:
    every answer they get is counted, /readyz is asked twice a second while Redis is away, and
    the time until a page is served from the cache again is taken once it is back."""
    wrk_result(walk(server, 2, VISITORS, mix, clients=VISITORS))
    visitors = walk(server, seconds, VISITORS, mix, clients=VISITORS)
    time.sleep(seconds / 4)
    redis.stop()
    say("  Redis stopped")
    readyz: dict[int, int] = {}
    back_at = time.monotonic() + seconds / 2
    while time.monotonic() < back_at:
        status = status_of(server.url("/readyz"))
        readyz[status] = readyz.get(status, 0) + 1
        time.sleep(0.5)
    redis.start()
    say("  Redis started again")
    restarted = time.monotonic()
    warm_again = None
    while time.monotonic() - restarted < seconds / 4:
        hits = 0
        for path in paths:
            try:
                _status, _body, headers = fetch(server.url(path))
            except OSError:
                continue
            hits += headers.get("X-Page-Cache") == "hit"
        if hits == len(paths):
            warm_again = time.monotonic() - restarted
            break
        time.sleep(0.25)
    result = {"visitors": wrk_result(visitors), "readyz": readyz, "warm_again_s": warm_again}
    say(f"    {describe(result)}; /readyz while Redis was away: {readyz}")
    return result


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
    checks: list[tuple[str, bool, str]] = []
    lines = [
        f"Run {results['started']} on {results['machine']}; gunicorn, 2 sync workers, "
        "production settings, Redis as the cache; "
        f"wrk {results['connections']} connections, "
        f"each figure the median of {ROUNDS} turns of {max(2, results['seconds'] // 2)} s, "
        "alternating static with warm and cold at 50,000 with cold at 1,000 screenings; "
        f"database: {results['screenings']:,} screenings. "
        "Ratio = requests/s of the page ÷ requests/s of the same bytes as a static file "
        "(WhiteNoise, same gunicorn). CPU ms/render: the median of 15 renders in-process at "
        "50,000 screenings (page cache off), which depends little on other load.",
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
    if results["pages"]:
        lines += pages_section(results["pages"], checks)
    memory_mb = results["peak_worker_rss_kb"] / 1024
    checks.append(
        (
            f"worker peak memory ≤ {MAX_WORKER_MB} MB",
            memory_mb <= MAX_WORKER_MB,
            f"{memory_mb:.0f} MB",
        )
    )
    lines += ["", f"Peak memory of a worker (VmHWM, any server): **{memory_mb:.0f} MB**."]
    if results.get("reference"):
        lines += reference_section(results["reference"], checks)
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
    if results.get("traffic"):
        lines += traffic_section(results["traffic"], results["traffic_seconds"], checks)
    if results.get("single"):
        lines += single_section(results["single"], results["traffic_seconds"])
    if results.get("outage"):
        lines += outage_section(results["outage"], results["traffic_seconds"], checks)
    if results.get("lighthouse"):
        lines += lighthouse_section(results["lighthouse"], checks)
    film = results["pages"].get("film", {}).get("cold")
    picture_lines, picture_checks = pictures.report(results, film and film["p50_us"] / 1000)
    lines += ["", *picture_lines] if picture_lines else []
    checks += picture_checks
    lines += ["", "Targets:", "", "| target | figure | met |", "|---|---:|:---:|"]
    lines += [f"| {what} | {figure} | {'yes' if ok else '**no**'} |" for what, ok, figure in checks]
    return "\n".join(lines) + "\n", checks


def pages_section(pages: dict, checks: list) -> list[str]:
    lines = [
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
        if name == "search" and "film" in pages:
            # Issue 14: a search may cost no more, as a share of static, than a film's page.
            film = pages["film"]["cold"]["rps"] / pages["film"]["static"]["rps"]
            checks.append(
                (
                    f"cold {LABELS[name]} ≥ cold film, of static",
                    cold_ratio >= film,
                    f"{cold_ratio:.3f}",
                )
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
    return lines


def reference_ratios(reference: dict) -> tuple[float, float]:
    return (
        reference["agenda"]["rps"] / reference["agenda_static"]["rps"],
        reference["reference"]["rps"] / reference["reference_static"]["rps"],
    )


def reference_section(reference: dict, checks: list) -> list[str]:
    agenda_ratio, reference_ratio = reference_ratios(reference)
    lines = [
        "",
        "The week's agenda (page cache off) beside the reference page: a plain Django view and "
        "template over the same week's screenings, one `select_related` query, no pictures, no "
        "JSON-LD (`bench/reference.py`). Each against its own HTML as a static file, in "
        f"alternating turns ({ROUNDS} each, median kept).",
        "",
        "| page | KB | queries | CPU ms/render | static req/s | req/s | p50 / p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label, ratio in (
        ("agenda", "agenda (next 7 days)", agenda_ratio),
        ("reference", "reference page", reference_ratio),
    ):
        page, static = reference[name], reference[f"{name}_static"]
        lines.append(
            f"| {label} | {reference[f'{name}_bytes'] / 1024:.0f} "
            f"| {reference[f'{name}_queries']} | {reference[f'{name}_cpu_ms']} "
            f"| {static['rps']:,.0f} | {page['rps']:,.0f} "
            f"| {ms(page['p50_us'])} / {ms(page['p99_us'])} | {ratio:.3f} |"
        )
    checks.append(
        (
            f"cold agenda ≥ {REFERENCE_FACTOR} × the reference page's ratio",
            agenda_ratio >= REFERENCE_FACTOR * reference_ratio,
            f"{agenda_ratio:.3f} vs {REFERENCE_FACTOR} × {reference_ratio:.3f} "
            f"(×{agenda_ratio / reference_ratio:.2f})",
        )
    )
    return lines


# Scenario: (what the visitors were beside, the scenario its figures are compared with).
TRAFFIC_ROWS = {
    "alone": (f"{VISITORS} visitors alone", None),
    "canonical": (
        f"{VISITORS} visitors beside a flood of one canonical address (the agenda)",
        None,
    ),
    "unknown_params": (
        f"{VISITORS} visitors beside a flood with an unknown parameter (?utm_source=N)",
        "canonical",
    ),
    "dates": (
        f"{VISITORS} visitors beside a flood walking the agenda's dates over a year",
        "canonical",
    ),
    "reference": (f"the reference page alone, {VISITORS} connections (page cache off)", None),
    "mix": (f"the warm mix at {MIX_CONNECTIONS} connections", None),
    "mix_edits": (
        f"the warm mix at {MIX_CONNECTIONS} connections, a ticket state edited every 2 s",
        "mix",
    ),
}


def traffic_section(traffic: dict, seconds: float, checks: list) -> list[str]:
    lines = [
        "",
        f"Traffic on the warm server (page cache on), {seconds:g} s each: {VISITORS} visitors "
        f"walking the page mix beside a {FLOOD}-connection flood from one client, and the whole "
        f"mix at {MIX_CONNECTIONS} connections while the box office changes a show's ticket "
        "state every 2 s (through the same service as the admin's action). Each visitor and the "
        "flooder have an address of their own, as the load balancer names them in "
        "X-Forwarded-For (TRUSTED_PROXY_COUNT=1): the flooder spends its own miss budget, not "
        "the visitors'. × = against the baseline named.",
        "",
        "| scenario | visitors' p50 / p99 ms | baseline | × p50 / × p99 | visitors' non-2xx "
        "| flood req/s | flood 5xx / 429 |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, (label, baseline) in TRAFFIC_ROWS.items():
        if name not in traffic:
            continue
        result = traffic[name]
        visitors = result["visitors"]
        bad = visitors["non2xx"] + visitors["errors"]
        factors = "–"
        if baseline and baseline in traffic:
            base = traffic[baseline]["visitors"]
            p50, p99 = visitors["p50_us"] / base["p50_us"], visitors["p99_us"] / base["p99_us"]
            factors = f"×{p50:.2f} / ×{p99:.2f}"
            if name in FLOOD_TARGETS:
                target = FLOOD_TARGETS[name]
                checks.append(
                    (
                        f"{label}: p50 ≤ {target} × beside the canonical flood",
                        p50 <= target,
                        f"×{p50:.2f}",
                    )
                )
            if name == "mix_edits":
                checks.append(
                    (
                        f"the warm mix's p99 with an edit every 2 s ≤ {EDIT_P99_FACTOR} × without",
                        p99 <= EDIT_P99_FACTOR,
                        f"×{p99:.2f}",
                    )
                )
        flood = result.get("flood")
        lines.append(
            f"| {label} | {ms(visitors['p50_us'])} / {ms(visitors['p99_us'])} "
            f"| {TRAFFIC_ROWS[baseline][0] if baseline else '–'} | {factors} | {bad} "
            + (
                f"| {flood['rps']:,.0f} | {flood['status_5xx']} / {flood['status_429']} |"
                if flood
                else "| – | – |"
            )
        )
        if name != "reference":
            checks.append((f"{label}: visitors get no errors, no non-2xx", bad == 0, str(bad)))
        if flood:
            checks.append(
                (
                    f"{label}: the flood gets no 5xx",
                    flood["status_5xx"] == 0,
                    str(flood["status_5xx"]),
                )
            )
    return lines


def single_section(single: dict, seconds: float) -> list[str]:
    worker_class, workers, threads = single["conf"]
    lines = [
        "",
        "One process without Redis (local-memory cache), as a single small machine runs it "
        f"(gunicorn.conf.py chooses {workers} {worker_class} worker × {threads} thread there): "
        "with four threads and with one. The agenda uncached (page cache off, 8 connections), "
        f"then {VISITORS} visitors beside {FLOOD} connections asking for the agenda's dates from "
        f"{FLOOD} addresses, each within its miss budget, so the process renders all it can "
        f"(page cache on); {seconds:g} s each.",
        "",
        "| gunicorn | agenda uncached req/s | p50 / p99 ms | visitors p50 / p99 ms "
        "| visitors' non-2xx | dates req/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in ("threads", "sync"):
        worker_class, workers, threads = single[name]["shape"]
        agenda, visitors = single[name]["agenda"], single[name]["visitors"]
        lines.append(
            f"| {workers} {worker_class} worker × {threads} thread{'s' if threads > 1 else ''} "
            f"| {agenda['rps']:,.0f} | {ms(agenda['p50_us'])} / {ms(agenda['p99_us'])} "
            f"| {ms(visitors['p50_us'])} / {ms(visitors['p99_us'])} "
            f"| {visitors['non2xx'] + visitors['errors']} | {single[name]['flood']['rps']:,.0f} |"
        )
    return lines


def outage_section(outage: dict, seconds: float, checks: list) -> list[str]:
    visitors, readyz = outage["visitors"], outage["readyz"]
    bad = visitors["non2xx"] + visitors["errors"]
    warm = outage["warm_again_s"]
    lines = [
        "",
        f"Redis stopped under load: {VISITORS} visitors walked the page mix for {seconds:g} s; "
        f"Redis was stopped after a quarter of it and started again after three quarters. "
        f"Visitors: {visitors['requests']:,} requests, p50 {ms(visitors['p50_us'])} ms, "
        f"p99 {ms(visitors['p99_us'])} ms, non-2xx and errors {bad}. /readyz while Redis was "
        f"away: {', '.join(f'{count} × {status}' for status, count in sorted(readyz.items()))}. "
        "Every page of the mix served from the cache again "
        + (f"{warm:.1f} s after Redis was back." if warm is not None else "not within the run."),
    ]
    checks.append(("visitors during a Redis outage: no errors, no non-2xx", bad == 0, str(bad)))
    ready = all(int(status) == 200 for status in readyz)
    checks.append(("/readyz answers 200 while only the cache is down", ready, str(readyz)))
    return lines


def lighthouse_section(audits: dict, checks: list) -> list[str]:
    lines = [
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
    return lines


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
    targets = dict(COLD_TARGETS)
    if results.get("reference"):
        targets["agenda"] = REFERENCE_FACTOR * reference_ratios(results["reference"])[1]
    for row, name in enumerate(names):
        if name in targets:
            axis.plot([targets[name]] * 2, [row - 0.42, row + 0.02], color="black", linewidth=1.5)
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
        f"Pages at {results['screenings']:,} screenings (black ticks: cold targets; agenda: "
        f"{REFERENCE_FACTOR} × the reference page's ratio)",
        fontsize=10,
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


@dataclass
class Plan:
    """What this run measures, from the command line."""

    args: argparse.Namespace
    run_id: str
    progress: Progress
    wanted: list[str]
    parts: list[str]
    cli: Path | None
    seconds: int
    mix_seconds: int
    traffic_seconds: int
    publish: bool
    pictures: bool


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short runs, no Lighthouse")
    parser.add_argument("--keep-data", action="store_true", help="reuse the bench databases")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--only", default="", help=f"page types and/or parts ({', '.join(PARTS)}), comma-separated"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from latest.json"
    )
    parser.add_argument(
        "--profile", metavar="PAGE", help="profile renders of one page type on the 50k data set"
    )
    args = parser.parse_args()
    if args.report_only:
        return write_report(json.loads((RESULTS / "latest.json").read_text()), publish=True)
    run_id = time.strftime("%Y%m%d%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.profile:
        ensure_debian("redis-server", "redis-server")
        redis = Redis().start()
        try:
            build_data(run_id, keep=True)
            collect_static(run_id)  # production settings render with the hashed files' manifest
            env = django_env("large", False, run_id, DJANGO_SETTINGS_MODULE=REFERENCE_SETTINGS)
            return run([PYTHON, BENCH / "probe.py", "profile", args.profile], env=env).returncode
        finally:
            redis.stop()

    names = [name for name in args.only.split(",") if name]
    unknown = [name for name in names if name not in LABELS and name not in PARTS]
    if unknown:
        sys.exit(
            f"--only: unknown {', '.join(unknown)}; page types: {', '.join(LABELS)}; "
            f"parts: {', '.join(PARTS)}"
        )
    wanted = [name for name in names if name in LABELS] or ([] if names else list(LABELS))
    parts = [name for name in names if name in PARTS] or ([] if names else list(PARTS))
    with_lighthouse = not (args.quick or args.no_lighthouse or names)
    seconds = args.seconds or (3 if args.quick else 10)
    mix_seconds = 10 if args.quick else 60
    traffic_seconds = 10 if args.quick else 30
    steps = [
        "tools",
        "databases",
        "static files",
        "renders in-process",
        "servers",
        *(f"page {LABELS[name]}" for name in wanted),
        *(f"part {part}" for part in parts),
        *(["Lighthouse"] if with_lighthouse else []),
        *(["pictures"] if not names else []),
    ]
    progress = Progress(steps)
    # Roughly: per page two alternations of warm-ups and turns; per part its runs; Lighthouse's
    # fifty runs of about ten seconds.
    turn = max(2, seconds // 2)
    part_seconds = {
        "reference": 4 * (4 + ROUNDS * turn),
        "mix": mix_seconds,
        "edits": 2 * (traffic_seconds + 4),
        "floods": 5 * (traffic_seconds + 4),
        "single": 4 * (traffic_seconds + 8),
        "outage": traffic_seconds + 10,
    }
    estimate = len(wanted) * 2 * (8 + ROUNDS * 2 * turn) + sum(part_seconds[p] for p in parts)
    estimate += 600 if with_lighthouse else 0
    estimate += 0 if names else 90
    say(
        f"make bench: {len(steps)} steps, about {estimate / 60 + 1:.0f} minutes after the "
        "databases are built; results in bench/results/"
    )

    progress.step(
        "tools: wrk and Redis from Debian"
        + (", Lighthouse" if with_lighthouse else "")
        + f"; Redis on port {REDIS_PORT}"
    )
    ensure_debian("wrk", "wrk")
    ensure_debian("redis-server", "redis-server")
    cli = ensure_lighthouse() if with_lighthouse else None
    plan = Plan(
        args=args,
        run_id=run_id,
        progress=progress,
        wanted=wanted,
        parts=parts,
        cli=cli,
        seconds=seconds,
        mix_seconds=mix_seconds,
        traffic_seconds=traffic_seconds,
        publish=not args.quick and not names,
        pictures=not names,
    )
    redis = Redis().start()
    try:
        return measure(plan, redis)
    finally:
        redis.stop()


def measure(plan: Plan, redis: Redis) -> int:
    """Everything after the tools, while the bench's Redis runs."""
    args, run_id, progress = plan.args, plan.run_id, plan.progress
    wanted, parts, cli = plan.wanted, plan.parts, plan.cli
    seconds, mix_seconds, traffic_seconds = plan.seconds, plan.mix_seconds, plan.traffic_seconds
    progress.step("databases and their pictures")
    build_data(run_id, keep=args.keep_data)
    draw_pictures(run_id)
    progress.step("static files (collectstatic)")
    static_root = collect_static(run_id)
    baseline_dir = static_root / "bench"
    progress.step("each page rendered in-process: queries, CPU time and HTML at both sizes")
    large = probe("large", run_id, baseline_dir)
    small = probe("small", run_id, RESULTS / "pages-small")
    for key, page in {**large, **{f"{k} (1k)": v for k, v in small.items()}}.items():
        if page["status"] != 200:
            sys.exit(f"{key} answered {page['status']} in the probe: {page['url']}")
    (RESULTS / "queries.json").write_text(json.dumps({"large": large, "small": small}, indent=1))
    visitor_pages = {key: page for key, page in large.items() if not key.startswith("reference")}
    mix = paths_file("mix", [page["url"] for page in visitor_pages.values()])

    progress.step("servers: gunicorn")
    servers = {
        "cold": Server("cold", django_env("large", False, run_id)),
        "warm": Server("warm", django_env("large", True, run_id)),
        "small": Server("small", django_env("small", False, run_id)),
        "reference": Server(
            "reference",
            django_env("large", False, run_id, DJANGO_SETTINGS_MODULE=REFERENCE_SETTINGS),
        ),
    }
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}",
        "connections": args.connections,
        "seconds": seconds,
        "traffic_seconds": traffic_seconds,
        "screenings": DATASETS["large"][1],
        "pages": {},
        # Other work on the machine takes CPU from the servers and from wrk alike; say how much.
        "load_before": os.getloadavg(),
    }
    try:
        for server in servers.values():
            server.start()
        for name in wanted:
            progress.step(f"page {LABELS[name]}: {large[name]['url']}")
            results["pages"][name] = measure_page(
                name, servers, large, small, baseline_dir, args.connections, seconds
            )

        if "reference" in parts:
            progress.step("part reference: the agenda uncached beside the reference page")
            results["reference"] = measure_reference(
                servers, large, baseline_dir, args.connections, seconds
            )

        if "mix" in parts:
            progress.step(
                f"part mix: the whole mix on the cold server, {mix_seconds} s at 32 connections"
            )
            result = wrk_result(walk(servers["cold"], mix_seconds, 32, mix, clients=32))
            result.update(seconds=mix_seconds, connections=32, server="page cache off")
            results["mix"] = result
            say(
                f"  {result['requests']:,} requests, errors {result['errors']}, non-2xx {result['non2xx']}"
            )

        agenda = large["agenda"]["url"]
        scenarios = [part for part in ("floods", "edits") if part in parts]
        for part in scenarios:
            progress.step(f"part {part}: traffic on the warm server")
            results.setdefault("traffic", {}).update(
                traffic(
                    servers["warm"],
                    servers["reference"].url(large["reference"]["url"]),
                    agenda,
                    mix,
                    traffic_seconds,
                    [part],
                    django_env("large", True, run_id),
                )
            )

        if "single" in parts:
            progress.step("part single: one process without Redis, with 4 threads and with 1")
            results["single"] = single_process(
                run_id, agenda, mix, dates_file(agenda), traffic_seconds
            )

        if cli:
            progress.step("Lighthouse, five runs a page")
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

        # Last: it empties the cache every other part relies on.
        if "outage" in parts:
            progress.step(f"part outage: Redis stopped under load ({traffic_seconds} s)")
            results["outage"] = outage(
                servers["warm"],
                redis,
                mix,
                traffic_seconds,
                [p["url"] for p in visitor_pages.values()],
            )
    finally:
        results["peak_worker_rss_kb"] = max(server.peak_rss_kb for server in servers.values())
        results["load_after"] = os.getloadavg()
        for server in servers.values():
            server.stop()
    if plan.pictures:
        progress.step("pictures: an admin save of a 24 MP poster while a worker runs")
        env = django_env("large", page_cache=True, run_id=run_id)
        queue = f"redis://{HOST}:{REDIS_PORT}/1"
        results["pictures"] = pictures.measure(env, PYTHON, GUNICORN, say, queue)

    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1, default=str))
    return write_report(results, publish=plan.publish)


def measure_page(name, servers, large, small, baseline_dir, connections, seconds) -> dict:
    """One page type: the static file and the cached page in turns, then the uncached page at
    50,000 and at 1,000 screenings in turns."""
    suffix = ".ics" if name == "screening_ics" else ".html"
    static_path = f"/static/bench/{name}{suffix}"
    status, body, _headers = fetch(servers["warm"].url(static_path))
    assert status == 200 and body == (baseline_dir / f"{name}{suffix}").read_bytes()
    page = {"url": large[name]["url"], "bytes": large[name]["bytes"]}
    page["queries_large"] = large[name]["queries"]
    page["queries_small"] = small[name]["queries"]
    page["cpu_ms"] = large[name].get("cpu_ms")
    turn = max(2, seconds // 2)
    page.update(
        measure_alternating(
            {
                "static": servers["warm"].url(static_path),
                "warm": servers["warm"].url(page["url"]),
            },
            turn,
            connections,
        )
    )
    # The uncached page at 50,000 and at 1,000 screenings, also in turns: their p50s are
    # compared, and one run after the other let the host's drift decide (home's read x1.09,
    # x0.74 and x1.64 in three runs with no code changed between them).
    page.update(
        measure_alternating(
            {
                "cold": servers["cold"].url(page["url"]),
                "small": servers["small"].url(small[name]["url"]),
            },
            turn,
            connections,
        )
    )
    ratio = page["cold"]["rps"] / page["static"]["rps"]
    say(
        f"  static {page['static']['rps']:,.0f}/s · cold {page['cold']['rps']:,.0f}/s "
        f"({ratio:.3f}) · warm {page['warm']['rps']:,.0f}/s · cold@1k p50 "
        f"{ms(page['small']['p50_us'])} ms vs {ms(page['cold']['p50_us'])} ms"
    )
    return page


def measure_reference(servers, large, baseline_dir, connections, seconds) -> dict:
    """The agenda uncached and the reference page, each beside its own HTML as a static file,
    all four in turns."""
    for name in ("agenda", "reference"):
        status, body, _headers = fetch(servers["warm"].url(f"/static/bench/{name}.html"))
        assert status == 200 and body == (baseline_dir / f"{name}.html").read_bytes()
    result = measure_alternating(
        {
            "agenda_static": servers["warm"].url("/static/bench/agenda.html"),
            "agenda": servers["cold"].url(large["agenda"]["url"]),
            "reference_static": servers["warm"].url("/static/bench/reference.html"),
            "reference": servers["reference"].url(large["reference"]["url"]),
        },
        max(2, seconds // 2),
        connections,
    )
    for name in ("agenda", "reference"):
        result[f"{name}_bytes"] = large[name]["bytes"]
        result[f"{name}_queries"] = large[name]["queries"]
        result[f"{name}_cpu_ms"] = large[name]["cpu_ms"]
    agenda_ratio, reference_ratio = reference_ratios(result)
    say(
        f"  agenda {result['agenda']['rps']:,.0f}/s ({agenda_ratio:.3f} of static) · reference "
        f"{result['reference']['rps']:,.0f}/s ({reference_ratio:.3f}) · "
        f"×{agenda_ratio / reference_ratio:.2f} (target ×{REFERENCE_FACTOR})"
    )
    return result


def write_report(results: dict, publish: bool) -> int:
    report, checks = build_report(results)
    (RESULTS / "latest.md").write_text(report)
    if results["pages"]:
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
    children.stop_on_signals()
    try:
        sys.exit(main())
    finally:
        children.stop_all()
