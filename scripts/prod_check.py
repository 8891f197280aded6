"""`make prod-check`: the Docker image's steps outside a container, then probes of the result.

A fresh virtualenv in a temporary folder, the project installed into it as the image does, the
translations compiled, static files collected, `check --deploy`, a fresh PostgreSQL database
migrated, and gunicorn started on loopback with production settings (DEBUG off, a real secret
key, named hosts, Redis as the cache, RQ on Redis as the task queue), and a worker of the queue
(the image with another command), which draws the demo's pictures: a job end to end, from the
queue to a file the pages serve. Then what a load balancer and a visitor would ask: /healthz,
/readyz, a page in each language, a compressed static file, every security header. Finally a
second instance on another port, for the two-instance check (scripts/two_instances.py).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import two_instances  # noqa: E402

PYTHON = os.environ.get("PYTHON", "python3.11")
PORTS = (8103, 8104)
POSTGRES = os.environ.get("PROD_CHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "eye_prodcheck"
REDIS = os.environ.get("PROD_CHECK_REDIS", "redis://127.0.0.1:6379/13")
# The task queue: a Redis database of its own, as production keeps jobs apart from the cache.
QUEUE_REDIS = os.environ.get("PROD_CHECK_QUEUE_REDIS", "redis://127.0.0.1:6379/12")
FILM = "/en/films/the-cranes-are-flying/"
# How long the worker may take to draw the demo's pictures (about 30 images) on a busy machine.
PICTURES_WITHIN = 300
ADMIN_PATH = "staff-desk/"
HTTPS = {"X-Forwarded-Proto": "https", "Host": "localhost"}
SKIPPED_TOP = {
    ".git", ".venv", ".ci", "tests", "node_modules", "media", "staticfiles", "bench", "devtools",
}  # fmt: skip


def step(message: str) -> None:
    print(f"== {message}", flush=True)


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    return subprocess.run([str(arg) for arg in args], **kwargs)


def copy_source(target: Path) -> None:
    """The files the image gets: what git knows of, less what .dockerignore leaves out."""
    listed = run(
        "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
        cwd=ROOT, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if name.split("/", 1)[0] in SKIPPED_TOP or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)


def get(port: int, path: str, headers: dict | None = None, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={**HTTPS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"prod-check FAILED: {message}")
    print(f"  ok  {message}")


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on {port} exited with {process.returncode}")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn on {port} did not answer /healthz in {seconds} s")


def wait_for_pictures(port: int, worker: subprocess.Popen) -> None:
    """Until the worker has drawn the film's poster: the page names drawn files, not the
    original, and the app serves them."""
    started = time.monotonic()
    while time.monotonic() - started < PICTURES_WITHIN:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        status, headers, body = get(port, FILM)
        page = body.decode()
        if status == 200 and "<picture>" in page and "no-store" not in headers["Cache-Control"]:
            break
        time.sleep(1)
    else:
        raise SystemExit(f"the film's pictures were not drawn within {PICTURES_WITHIN} s")
    expect(
        True,
        f"a worker drew the film's pictures; its page names them ({time.monotonic() - started:.0f} s)",
    )
    webp = re.search(r'<source type="image/webp" srcset="([^ "]+)', page).group(1)
    status, headers, body = get(port, webp)
    expect(
        status == 200 and headers["Content-Type"] == "image/webp" and body[8:12] == b"WEBP",
        f"{webp} is a whole WebP file",
    )


def probe(port: int, static_root: Path) -> None:
    status, headers, body = get(port, "/healthz", {"X-Forwarded-Proto": "http", "Host": "10.1.2.3"})
    expect(status == 200, "/healthz answers 200 over plain HTTP, by address, without a redirect")
    status, headers, body = get(port, "/readyz")
    report = json.loads(body)
    expect(
        status == 200 and report == {"status": "ok", "database": "ok", "cache": "ok"},
        f"/readyz: {report}",
    )

    for path, lang, text in (
        ("/nl/", "nl", "Russische Dooi"),
        ("/en/", "en", "Russian Thaw"),
    ):
        status, headers, body = get(port, path)
        page = body.decode()
        expect(status == 200 and f'<html lang="{lang}"' in page, f"{path} answers in {lang}")
        expect(text in page, f"{path} shows {text!r}")
        policy = headers["Content-Security-Policy"]
        expect("unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, "CSP")
        expect("max-age=31536000" in headers["Strict-Transport-Security"], "HSTS for a year")
        expect(headers["X-Content-Type-Options"] == "nosniff", "X-Content-Type-Options")
        expect(headers["Referrer-Policy"] == "strict-origin-when-cross-origin", "Referrer-Policy")
        expect("camera=()" in headers["Permissions-Policy"], "Permissions-Policy")
        expect(headers["Cross-Origin-Opener-Policy"] == "same-origin", "COOP")
        expect(headers["X-Frame-Options"] == "DENY", "X-Frame-Options")
        expect(headers["X-Request-ID"], "a request id")
        expect("Set-Cookie" not in headers, f"{path} sets no cookie")
        status, again, _ = get(port, path)
        expect(again["X-Page-Cache"] == "hit", f"{path} is served from the cache the second time")
        status, _, body = get(port, path, {"If-None-Match": again["ETag"]})
        expect(status == 304 and body == b"", f"{path} with its ETag: 304")

    status, headers, _ = get(port, "/en/", {"X-Forwarded-Proto": "http"})
    expect(status == 301 and headers["Location"] == "https://localhost/en/", "HTTP goes to HTTPS")

    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = manifest["paths"]["css/site.css"]
    status, headers, body = get(port, f"/static/{css}", {"Accept-Encoding": "gzip, br"})
    expect(
        status == 200 and headers["Content-Encoding"] in ("gzip", "br"),
        f"/static/{css}, compressed",
    )
    expect("immutable" in headers["Cache-Control"], "hashed static files are cached for good")

    status, _, _ = get(port, "/admin/")
    expect(status == 404, "no admin at /admin/")
    status, headers, _ = get(port, f"/{ADMIN_PATH}login/")
    expect(status == 200, f"the admin is at /{ADMIN_PATH}")
    cookie = headers["Set-Cookie"]
    expect(
        "Secure" in cookie and "HttpOnly" in cookie, "the admin's cookies are Secure and HttpOnly"
    )


def main() -> int:
    hadolint = Path(sys.executable).with_name("hadolint")
    step("hadolint Dockerfile")
    run(hadolint, ROOT / "Dockerfile")
    print("  ok  hadolint reports nothing")

    work = Path(tempfile.mkdtemp(prefix="eye-prod-check-"))
    app, venv = work / "app", work / "venv"
    processes: list[subprocess.Popen] = []
    try:
        step(f"fresh virtualenv and install in {work}")
        app.mkdir()
        copy_source(app)
        run(PYTHON, "-m", "venv", venv)
        bin_dir = venv / "bin"
        # -qq: errors only (pip's notes about local mirrors are not ours to fix).
        run(bin_dir / "pip", "install", "-qq", "--disable-pip-version-check", ".", cwd=app)

        password = secrets.token_urlsafe(16)
        env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", str(work)),
            "LANG": "C.UTF-8",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://localhost",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "CACHE_URL": REDIS,
            "CACHE_KEY_PREFIX": f"prodcheck-{os.getpid()}",
            "TASK_BACKEND": "rq",
            "TASK_REDIS_URL": QUEUE_REDIS,
            "MEDIA_ROOT": str(work / "media"),
            "ADMIN_PATH": ADMIN_PATH,
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SUPERUSER_PASSWORD": password,
        }
        python = bin_dir / "python"

        def manage(*args):
            run(python, "manage.py", *args, cwd=app, env=env)

        step("compilemessages, collectstatic, check --deploy")
        manage("compilemessages", "-v", "0")
        manage("collectstatic", "--no-input", "-v", "0")
        report = run(
            python, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
            cwd=app, env=env, capture_output=True, text=True,
        )  # fmt: skip
        expect("no issues" in report.stdout, "check --deploy: no issues")

        step(f"fresh PostgreSQL database {DATABASE}: migrate, demo content, a staff account")
        run(
            "psql",
            f"{POSTGRES}/postgres",
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
        )
        run("psql", f"{POSTGRES}/postgres", "-q", "-c", f"CREATE DATABASE {DATABASE}")
        manage("migrate", "--no-input", "-v", "0")
        # The image has no development tools; the demo comes from this checkout, as a developer
        # would fill a staging database: asked for by name, with the database named.
        run(
            sys.executable, "manage.py", "load_demo", "-v", "0", "--confirm-database", DATABASE,
            cwd=ROOT, env={**env, "DEVTOOLS": "true", "DJANGO_ENV_FILE": os.devnull},
        )  # fmt: skip
        manage("createsuperuser", "--no-input", "--username", "checker", "--email", "c@example.org")
        redis.Redis.from_url(QUEUE_REDIS).flushdb()
        manage("prepare_pictures")

        for port in PORTS:
            step(f"gunicorn with production settings on 127.0.0.1:{port}")
            process = subprocess.Popen(
                [bin_dir / "gunicorn", "--config", "gunicorn.conf.py", "eye_site.wsgi:application"],
                cwd=app,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            processes.append(process)
            wait_until_up(port, process)

        step("a worker of the task queue: python manage.py worker (RQ on Redis)")
        worker = subprocess.Popen(
            [python, "manage.py", "worker"],
            cwd=app,
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        processes.append(worker)
        wait_for_pictures(PORTS[0], worker)

        step(f"probes on {PORTS[0]}")
        probe(PORTS[0], app / "staticfiles")

        step(f"two instances: edit through {PORTS[0]}, see it on {PORTS[1]}")
        two_instances.check(
            f"http://127.0.0.1:{PORTS[0]}",
            f"http://127.0.0.1:{PORTS[1]}",
            ADMIN_PATH,
            "checker",
            password,
        )
        step("the worker stops when told, after the job in hand")
        os.killpg(worker.pid, signal.SIGTERM)
        expect(worker.wait(timeout=60) == 0, "the worker stopped cleanly on SIGTERM")

        step("prod-check passed")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        subprocess.run(
            ["psql", f"{POSTGRES}/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"],
            check=False,
        )  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
