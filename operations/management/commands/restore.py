"""`manage.py restore FOLDER`: put a backup made by `manage.py backup` back, database and media."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eye_site.cache import bump_version
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
    help = "Restore the database and the media folder from a backup folder (replaces the database)."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder made by `manage.py backup`.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args, folder: str, interactive: bool, **options) -> None:
        source = Path(folder)
        dump, archive = source / DATABASE_FILE, source / MEDIA_FILE
        if not dump.is_file() or not archive.is_file():
            raise CommandError(f"{source} holds no backup ({DATABASE_FILE} and {MEDIA_FILE}).")
        connection_args, env = postgres_arguments()
        if interactive:
            answer = input(
                f"This replaces the database {settings.DATABASES['default']['NAME']} and adds the "
                f"backup's media to "
                f"{media_root()}. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")

        self.stdout.write(f"Database ← {dump}")
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        run_with_progress(
            [*command, "--verbose", *connection_args, str(dump)], env, self.stdout.write
        )

        self.extract_media(archive)
        # Every page cached before the restore shows what is no longer there.
        bump_version()
        self.compare(source / MANIFEST_FILE)
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def extract_media(self, archive: Path) -> None:
        root = media_root()
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            members = [member for member in tar.getmembers() if member.isfile()]
            self.stdout.write(f"Media: {len(members)} files → {root}")
            for number, member in enumerate(members, start=1):
                # The data filter refuses absolute paths, links out of the folder and devices.
                tar.extract(member, root, filter="data")
                report_files(number, len(members), self.stdout.write)

    def compare(self, manifest_file: Path) -> None:
        if not manifest_file.is_file():
            return
        expected = json.loads(manifest_file.read_text())["rows"]
        for label, count in sorted(expected.items()):
            model = apps.get_model(label)
            found = model._default_manager.count()
            if found != count:
                raise CommandError(
                    f"{label}: {found} rows after the restore, {count} in the backup."
                )
        self.stdout.write(f"Row counts match the backup for {len(expected)} tables.")
