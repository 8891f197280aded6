"""Fixtures for the production tests: the demo content, staff, and the machine's services."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
POSTGRES_URL = os.environ.get("PROD_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


@pytest.fixture
def demo(db):
    """The Russian Thaw programme with one film, as the pages show it (factories: load_demo is slow)."""
    from programmes.models import SiteSettings
    from tests.factories import FilmFactory, ProgrammeFactory

    programme = ProgrammeFactory(
        title_nl="Russische Dooi",
        title_en="Russian Thaw",
        slug_nl="russische-dooi",
        slug_en="russian-thaw",
        subtitle_nl="Sovjet nieuwe golf 1957 – 1968",
        subtitle_en="Soviet New Wave 1957 – 1968",
    )
    film = FilmFactory(
        title_nl="Als de kraanvogels overvliegen",
        title_en="The Cranes Are Flying",
        slug_nl="als-de-kraanvogels-overvliegen",
        slug_en="the-cranes-are-flying",
    )
    film.programmes.add(programme)
    # The footer's settings row is otherwise created by the first page, which (rightly) keeps
    # that page out of the cache: it changed content while it was being rendered.
    SiteSettings.get_solo()
    return programme


def after_the_edit(visitor, path: str):
    """The page a visitor gets once an edit has reached it: the first request after the edit is
    answered with the page as it was, at once, and has it rendered again once that answer is out
    (eye_site/cache.py); the next one gets the new page."""
    assert visitor.get(path)["X-Page-Cache"] == "stale"
    return visitor.get(path)


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def requires_postgres():
    if not port_open("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (CI starts it; see .ci/run)")


def production_env(**extra: str) -> dict[str, str]:
    """The environment a production process gets: DEBUG off, a real key, named hosts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "PYTEST", "DEBUG", "DEVTOOLS"))
    }
    env.update(
        # No developer's .env: these processes see only what production would set.
        DJANGO_ENV_FILE=os.devnull,
        SECRET_KEY="x" * 20 + "-production-test-secret-key-0123456789abcdefghijk",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS="https://localhost",
        LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", f"{POSTGRES_URL}/{database}", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def fresh_postgres_database(request):
    """A PostgreSQL database of its own, dropped afterwards."""
    requires_postgres()
    name = f"eye_prodtest_{request.node.name[:20].lower()}_{os.getpid()}".replace("-", "_")
    name = "".join(ch for ch in name if ch.isalnum() or ch == "_")
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    yield name
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    """A port nothing listens on now (the system's choice), for a server of the test's own."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, without persistence, that the test stops and starts."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(settings, tmp_path):
    """The site's cache on a Redis of this test's own (started; stop() and start() it)."""
    from django.core.cache import caches

    from eye_site import cache

    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "eye-test",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    cache.LOCAL.clear()
    try:
        yield server
    finally:
        server.stop()
        caches["default"].close()
        cache.LOCAL.clear()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log_path: Path):
    """gunicorn with the project's gunicorn.conf.py on 127.0.0.1:`port`, until the block ends.
    Yields its log file, open for reading.

    gunicorn writes through a handle of its own in append mode: sharing the reader's handle
    would share its offset, and a read in the middle of a write would make the next line land
    on top of the last."""
    with log_path.open("a") as output:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "eye_site.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    log = log_path.open()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                log.seek(0)
                pytest.fail(f"gunicorn did not start:\n{log.read()}")
            time.sleep(0.3)
        yield log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
