"""Fixtures for the production tests: the demo content, staff, and the machine's services."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
