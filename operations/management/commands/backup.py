"""`manage.py backup`: the database (pg_dump, custom format) and the uploaded media (tar) in one folder."""

from __future__ import annotations

import datetime
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand

from operations.backup_tools import (
    DATABASE_FILE,
    MANIFEST_FILE,
    MEDIA_FILE,
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
        # Counted first, so a restore can say whether everything came back.
        counts = {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if not model._meta.proxy
        }

        self.stdout.write(f"Database → {target / DATABASE_FILE}")
        command = ["pg_dump", "--format=custom", "--verbose", "--no-owner", *connection_args]
        run_with_progress([*command, "--file", str(target / DATABASE_FILE)], env, self.stdout.write)

        files = self.archive_media(target / MEDIA_FILE)
        manifest = {"created": stamp, "rows": counts, "media_files": files}
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
