"""What backup and restore share: the PostgreSQL connection as pg_dump sees it, the content
tables and their checksums, and progress output."""

from __future__ import annotations

import os
import subprocess
from collections import deque
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
# What the cinema shows and when: the tables whose rows a restore must bring back exactly.
# Not sessions, logins, versions, pictures' states or queued jobs, which come back too but
# which no editor typed and which may differ without anything being lost.
CONTENT_APPS = ("programmes", "screenings")
# How rows are written as text for their checksums, the same at backup and at restore
# whatever the server's or the connection's defaults.
CHECKSUM_SETTINGS = (
    "SET LOCAL TIME ZONE 'UTC'",
    "SET LOCAL DateStyle TO 'ISO, MDY'",
    "SET LOCAL IntervalStyle TO 'postgres'",
    "SET LOCAL extra_float_digits TO 1",
)


def postgres_arguments(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and the environment that carries the password."""
    database = settings.DATABASES[alias]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            "Backups are made with pg_dump and need PostgreSQL (DATABASE_URL=postgres://…). "
            "An SQLite database is a single file: copy it while the site is stopped."
        )
    arguments = ["--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return arguments, env


def content_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every content table, their many-to-many links included."""
    return sorted(
        (model._meta.db_table, model._meta.pk.column)
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    )


def checksum_sql(table: str, pk: str) -> str:
    """A query answering "<rows>:<md5 of every row in key order>" for one table."""
    return (
        f"SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' "
        f'ORDER BY t."{pk}"), \'\')) FROM "{table}" t'
    )


def run_with_progress(
    command: list[str],
    env: dict[str, str],
    report: Callable[[str], None],
) -> None:
    """Runs pg_dump in verbose mode, passing each step it reports on as it happens."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    tail = follow_progress(process.stderr, report)
    if process.wait() != 0:
        raise CommandError(f"{command[0]} failed:\n" + "\n".join(tail))


def follow_progress(stream, report: Callable[[str], None]) -> deque[str]:
    """Reports each table pg_dump or pg_restore takes on; returns the last lines, for an error."""
    tail: deque[str] = deque(maxlen=21)
    for line in stream:
        line = line.rstrip()
        tail.append(line)
        if line.startswith(
            ("pg_dump: dumping contents of table", "pg_restore: processing data for table")
        ):
            report("  " + line.split(": ", 1)[1])
    return tail


def report_files(number: int, total: int, report: Callable[[str], None]) -> None:
    """Progress through the media files: every 50th, and the last."""
    if number % 50 == 0 or number == total:
        report(f"  {number}/{total} files")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
