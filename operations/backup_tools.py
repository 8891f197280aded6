"""What backup and restore share: the PostgreSQL connection as pg_dump sees it, and progress output."""

from __future__ import annotations

import os
import subprocess
from collections import deque
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"


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


def run_with_progress(
    command: list[str], env: dict[str, str], report: Callable[[str], None]
) -> None:
    """Runs pg_dump/pg_restore in verbose mode, passing each step it reports on as it happens."""
    connections.close_all()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    tail: deque[str] = deque(maxlen=21)  # the last lines, for the error message
    assert process.stderr is not None
    for line in process.stderr:
        line = line.rstrip()
        tail.append(line)
        if line.startswith(
            ("pg_dump: dumping contents of table", "pg_restore: processing data for table")
        ):
            report("  " + line.split(": ", 1)[1])
    if process.wait() != 0:
        raise CommandError(f"{command[0]} failed:\n" + "\n".join(tail))


def report_files(number: int, total: int, report: Callable[[str], None]) -> None:
    """Progress through the media files: every 50th, and the last."""
    if number % 50 == 0 or number == total:
        report(f"  {number}/{total} files")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
