"""Backup and restore: a round trip through pg_dump/pg_restore and tar that loses nothing, and a
restore that fails, at any point, changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
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
    assert "Rows and checksums match the backup" in restore.stdout

    assert table_fingerprints(second_database) == table_fingerprints(fresh_postgres_database)
    assert media_fingerprints(restored_media) == media_fingerprints(original_media)


@pytest.fixture
def live_site(fresh_postgres_database, tmp_path):
    """A site with content and a backup of it, then edited since: (environment, backup folder)."""
    requires_postgres()
    env = production_env(
        DATABASE_URL=f"{POSTGRES_URL}/{fresh_postgres_database}", MEDIA_ROOT=str(tmp_path / "media")
    )
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("shell", "-c", SEED, env=env)
    manage("backup", "--output-dir", str(tmp_path / "backups"), env=env)
    psql("UPDATE programmes_film SET year = 1958", fresh_postgres_database)
    return env, next((tmp_path / "backups").iterdir())


def test_a_restore_over_the_live_site_puts_back_what_the_backup_holds(
    live_site, fresh_postgres_database
):
    env, folder = live_site
    result = manage("restore", str(folder), "--no-input", env=env)
    assert "Rows and checksums match the backup" in result.stdout
    query = "SELECT DISTINCT year FROM programmes_film"
    years = subprocess.run(
        ["psql", f"{POSTGRES_URL}/{fresh_postgres_database}", "-At", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert years == ["1957"]  # the edit made after the backup is gone


def refused(env, folder: Path, database: str) -> str:
    """Runs a restore that must fail; checks that the database is as it was; returns why."""
    before = table_fingerprints(database)
    result = manage("restore", str(folder), "--no-input", env=env, check=False)
    assert result.returncode != 0, result.stdout
    assert table_fingerprints(database) == before
    return result.stderr


def test_a_truncated_dump_is_refused_and_the_live_data_untouched(
    live_site, fresh_postgres_database
):
    env, folder = live_site
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    reason = refused(env, folder, fresh_postgres_database)
    assert "is not a complete database dump, so nothing was changed" in reason


def test_a_file_that_is_not_a_dump_is_refused(live_site, fresh_postgres_database):
    env, folder = live_site
    (folder / "database.dump").write_text("SELECT 'not a dump';\n")
    reason = refused(env, folder, fresh_postgres_database)
    assert "is not a complete database dump" in reason


def test_a_dump_from_a_newer_release_is_refused_naming_its_migrations(
    live_site, fresh_postgres_database, tmp_path
):
    env, _folder = live_site
    psql(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('screenings', '9999_from_the_future', now())",
        fresh_postgres_database,
    )
    manage("backup", "--output-dir", str(tmp_path / "newer"), env=env)
    psql(
        "DELETE FROM django_migrations WHERE name = '9999_from_the_future'",
        fresh_postgres_database,
    )
    reason = refused(env, next((tmp_path / "newer").iterdir()), fresh_postgres_database)
    assert "newer release" in reason and "screenings.9999_from_the_future" in reason


def test_a_backup_without_checksums_is_refused(live_site, fresh_postgres_database):
    env, folder = live_site
    (folder / "manifest.json").write_text(json.dumps({"rows": {"programmes.Film": 1}}))
    reason = refused(env, folder, fresh_postgres_database)
    assert "holds no checksums of the content tables" in reason


def test_a_restore_that_fails_its_last_check_is_rolled_back_whole(
    live_site, fresh_postgres_database
):
    """Everything was dropped and loaded again before the check found a table that differs."""
    env, folder = live_site
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["content"]["screenings_screening"] = "7:0123456789abcdef0123456789abcdef"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    reason = refused(env, folder, fresh_postgres_database)
    assert "rolled back; the database is as it was" in reason
    assert "screenings_screening" in reason


def test_the_manifest_covers_the_content_tables_only(live_site):
    _env, folder = live_site
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "programmes_film" in manifest["content"]
    assert "programmes_film_programmes" in manifest["content"]  # the links between them too
    assert re.fullmatch(r"[1-9]\d*:[0-9a-f]{32}", manifest["content"]["programmes_film"])
    assert not {"django_session", "axes_accessattempt", "reversion_version"} & set(
        manifest["content"]
    )
    assert "screenings.0002_screening_no_overlap" in manifest["migrations"]


def test_backup_on_sqlite_says_what_to_do_instead(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = manage("backup", "--output-dir", str(tmp_path), env=env, check=False)
    assert result.returncode != 0
    assert "need PostgreSQL" in result.stderr
