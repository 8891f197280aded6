"""Backup and restore: a round trip through pg_dump/pg_restore and tar that loses nothing."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from .conftest import POSTGRES_URL, manage, production_env, psql, requires_postgres

SEED = """
from programmes.models import SiteSettings
from tests.factories import CreditFactory, EventContributorFactory, ScreeningFactory, StillFactory
from tests.factories import FilmFactory, image_file
film = FilmFactory(
    title_nl="Als de kraanvogels overvliegen",
    poster=image_file("cranes.jpg"),
    poster_alt_nl="Affiche",
    poster_alt_en="Poster",
)
StillFactory(film=film)
CreditFactory(film=film)
EventContributorFactory()
ScreeningFactory(film=film)
SiteSettings.get_solo()
"""


def table_fingerprints(database: str) -> dict[str, str]:
    """Every table's rows, hashed in a stable order, and every sequence's position."""
    query = """
    SELECT string_agg(format(
      'SELECT %L, (SELECT md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text), '''')) FROM %I t)',
      tablename, tablename), ' UNION ALL ' ORDER BY tablename)
    FROM pg_tables WHERE schemaname = 'public'
    """
    url = f"{POSTGRES_URL}/{database}"
    union = subprocess.run(
        ["psql", url, "-At", "-c", query], check=True, capture_output=True, text=True
    ).stdout.strip()
    rows = subprocess.run(
        ["psql", url, "-At", "-F", "\t", "-c", union], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    sequences = subprocess.run(
        ["psql", url, "-At", "-F", "\t", "-c", "SELECT sequencename, last_value FROM pg_sequences"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return dict(line.split("\t") for line in [*rows, *(f"seq:{line}" for line in sequences)])


def media_fingerprints(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def second_database(fresh_postgres_database):
    name = f"{fresh_postgres_database}_restored"
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    yield name
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_and_restore_into_an_empty_database_lose_nothing(
    fresh_postgres_database, second_database, tmp_path
):
    requires_postgres()
    original_media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    source = production_env(
        DATABASE_URL=f"{POSTGRES_URL}/{fresh_postgres_database}", MEDIA_ROOT=str(original_media)
    )
    manage("migrate", "--no-input", "-v", "0", env=source)
    manage("shell", "-c", SEED, env=source)
    assert media_fingerprints(original_media), "the seed stores a poster and a still"

    backup = manage("backup", "--output-dir", str(tmp_path / "backups"), env=source)
    assert "dumping contents of table" in backup.stdout  # progress, table by table
    folder = next((tmp_path / "backups").iterdir())

    target = production_env(
        DATABASE_URL=f"{POSTGRES_URL}/{second_database}", MEDIA_ROOT=str(restored_media)
    )
    restore = manage("restore", str(folder), "--no-input", env=target)
    assert "Row counts match the backup" in restore.stdout

    assert table_fingerprints(second_database) == table_fingerprints(fresh_postgres_database)
    assert media_fingerprints(restored_media) == media_fingerprints(original_media)


def test_backup_on_sqlite_says_what_to_do_instead(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = manage("backup", "--output-dir", str(tmp_path), env=env, check=False)
    assert result.returncode != 0
    assert "need PostgreSQL" in result.stderr
