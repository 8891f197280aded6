"""`manage.py backup`: the database (pg_dump, custom format) and the uploaded media (tar) in one folder.

The manifest beside them holds what a restore checks against: the migrations the database had
and the rows and a checksum of every content table, all read in the very snapshot pg_dump dumps
(an exported snapshot), so edits made while the backup runs cannot make them disagree.
"""

from __future__ import annotations

import datetime
import json
import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from operations.backup_tools import (
    CHECKSUM_SETTINGS,
    DATABASE_FILE,
    MANIFEST_FILE,
    MEDIA_FILE,
    checksum_sql,
    content_tables,
    media_root,
    postgres_arguments,
    report_files,
    run_with_progress,
)


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the media folder into a new folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default="backups",
            help="Where the dated backup folder is made (default: ./backups).",
        )

    def handle(self, *args, output_dir: str, **options) -> None:
        connection_args, env = postgres_arguments()
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(output_dir) / f"eye-backup-{stamp}"
        target.mkdir(parents=True)

        self.stdout.write(f"Database → {target / DATABASE_FILE}")
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for the counts, the checksums and pg_dump: the transaction that
            # exported it stays open until pg_dump has finished.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            for setting in CHECKSUM_SETTINGS:
                cursor.execute(setting)
            content = {}
            for table, pk in content_tables():
                cursor.execute(checksum_sql(table, pk))
                content[table] = cursor.fetchone()[0]
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
            command = ["pg_dump", "--format=custom", "--verbose", "--no-owner"]
            command += [f"--snapshot={snapshot}", *connection_args]
            run_with_progress(
                [*command, "--file", str(target / DATABASE_FILE)], env, self.stdout.write
            )

        files = self.archive_media(target / MEDIA_FILE)
        manifest = {
            "created": stamp,
            "content": content,
            "migrations": migrations,
            "media_files": files,
        }
        (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {target}"))

    def archive_media(self, archive: Path) -> int:
        root = media_root()
        files = sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
        self.stdout.write(f"Media: {len(files)} files → {archive}")
        with tarfile.open(archive, "w:gz") as tar:
            for number, path in enumerate(files, start=1):
                tar.add(path, arcname=str(path.relative_to(root)))
                report_files(number, len(files), self.stdout.write)
        return len(files)
