"""`manage.py restore FOLDER`: put a backup made by `manage.py backup` back, database and media.

All or nothing. Before anything is dropped the whole dump is read once: a file that is not a
dump, is cut short or comes from a newer release of the site (migrations this code does not
know) is refused, as is a media archive that cannot be read. The database is then replaced in
one transaction (pg_restore's script fed to psql), whose last step compares every content
table's rows and checksum with the manifest; any error, a mismatch included, rolls it all back
and leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from eye_site.cache import bump_version
from operations.backup_tools import (
    CHECKSUM_SETTINGS,
    DATABASE_FILE,
    MANIFEST_FILE,
    MEDIA_FILE,
    checksum_sql,
    content_tables,
    follow_progress,
    media_root,
    postgres_arguments,
    report_files,
)

MIGRATIONS_COPY = "COPY public.django_migrations "


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
        manifest_file = source / MANIFEST_FILE
        if not dump.is_file() or not archive.is_file() or not manifest_file.is_file():
            raise CommandError(
                f"{source} holds no backup ({DATABASE_FILE}, {MEDIA_FILE} and {MANIFEST_FILE})."
            )
        connection_args, env = postgres_arguments()
        manifest = self.read_manifest(manifest_file)

        self.stdout.write(f"Checking {dump} …")
        older = self.check_migrations(self.migrations_in(dump, env))
        members = self.media_members(archive)
        name = settings.DATABASES["default"]["NAME"]
        if interactive:
            answer = input(
                f"This replaces the database {name} and adds the backup's {len(members)} media "
                f"files to {media_root()}. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")

        self.stdout.write(f"Database {name} ← {dump} (one transaction)")
        self.replace_database(dump, manifest["content"], connection_args, env)
        self.stdout.write(
            f"Rows and checksums match the backup for {len(manifest['content'])} content tables."
        )
        self.extract_media(archive, members)
        # Every page cached before the restore shows what is no longer there.
        bump_version()
        if older:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is from an older release ({len(older)} migrations behind): "
                    "run `manage.py migrate` before the site serves it."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def read_manifest(self, manifest_file: Path) -> dict:
        try:
            manifest = json.loads(manifest_file.read_text())
            if not isinstance(manifest.get("content"), dict) or not manifest["content"]:
                raise ValueError
        except ValueError as error:
            raise CommandError(
                f"{manifest_file} is not the manifest of a backup made by this release's "
                "`manage.py backup` (it holds no checksums of the content tables), so the "
                "restore could not be checked. Nothing was changed."
            ) from error
        return manifest

    def migrations_in(self, dump: Path, env: dict[str, str]) -> set[str]:
        """The migrations the dumped database had, read from the dump's own django_migrations
        table while reading the whole dump through (which finds one cut short)."""
        process = subprocess.Popen(
            ["pg_restore", "--file=-", str(dump)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert process.stdout is not None and process.stderr is not None
        migrations: set[str] = set()
        inside = found = False
        for line in process.stdout:
            if inside:
                if line.startswith("\\."):
                    inside = False
                    continue
                _id, app, migration, *_rest = line.rstrip("\n").split("\t")
                migrations.add(f"{app}.{migration}")
            elif line.startswith(MIGRATIONS_COPY):
                inside = found = True
        error = process.stderr.read().strip()
        if process.wait() != 0:
            raise CommandError(
                f"{dump} is not a complete database dump, so nothing was changed. "
                f"pg_restore says: {error}"
            )
        if not found:
            raise CommandError(
                f"{dump} is a database dump, but not of this site (it has no django_migrations "
                "table). Nothing was changed."
            )
        return migrations

    def check_migrations(self, dumped: set[str]) -> set[str]:
        """Refuses a dump from a newer schema; returns the migrations it is behind by."""
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = {f"{app}.{name}" for app, name in loader.disk_migrations}
        unknown = sorted(dumped - known)
        if unknown:
            raise CommandError(
                "The backup comes from a newer release of the site: its database has "
                f"migrations this code does not know ({', '.join(unknown)}). Restore it with "
                "the release that made it, or a later one. Nothing was changed."
            )
        return known - dumped

    def media_members(self, archive: Path) -> list[tarfile.TarInfo]:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                return [member for member in tar.getmembers() if member.isfile()]
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(
                f"{archive} cannot be read ({error}), so nothing was changed."
            ) from error

    def replace_database(
        self, dump: Path, content: dict[str, str], connection_args: list[str], env
    ) -> None:
        """pg_restore's script, between BEGIN and a check of every content table, fed to psql.

        COMMIT is sent only after pg_restore has finished without error; psql stops at the
        first error (ON_ERROR_STOP), a failed check included, and the open transaction is
        rolled back when it leaves.
        """
        # This process's own connections would hold locks the restore has to wait for.
        connections.close_all()
        restore = subprocess.Popen(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--verbose", "--file=-", dump],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        psql = subprocess.Popen(
            ["psql", "--quiet", "--no-psqlrc", "--set=ON_ERROR_STOP=1", *connection_args],
            # Only errors on stderr (not a notice per table dropped), so it never fills up
            # while this process is busy writing.
            env={**env, "PGOPTIONS": "-c client_min_messages=warning"},
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert restore.stdout and restore.stderr and psql.stdin and psql.stderr
        progress: list = []
        reader = threading.Thread(
            target=lambda: progress.append(
                follow_progress(
                    io.TextIOWrapper(restore.stderr, errors="replace"), self.stdout.write
                )
            )
        )
        reader.start()
        restored = False
        try:
            psql.stdin.write(b"BEGIN;\n")
            shutil.copyfileobj(restore.stdout, psql.stdin)
            reader.join()
            if restore.wait() == 0:
                psql.stdin.write(self.checks(content).encode())
                psql.stdin.write(b"COMMIT;\n")
                restored = True
        except BrokenPipeError:
            pass  # psql stopped at an error: said below
        finally:
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()  # without COMMIT, psql leaves and the server rolls back
            restore.stdout.close()
            restore.wait()
            reader.join()
        errors = psql.stderr.read().decode(errors="replace").strip()
        if psql.wait() != 0 or not restored:
            said = errors or "\n".join(progress[0] if progress else [])
            raise CommandError(
                "The restore failed and was rolled back; the database is as it was.\n" + said
            )

    def checks(self, content: dict[str, str]) -> str:
        """SQL that raises an error, stopping psql before COMMIT, for each content table whose
        rows differ from the backup's. (A table only an older or newer release has is left to
        `migrate`; a newer release's backup is refused before.)"""
        tables = dict(content_tables())
        lines = ["RESET search_path;", *(f"{setting};" for setting in CHECKSUM_SETTINGS)]
        for table, expected in sorted(content.items()):
            if table not in tables:
                continue
            lines.append(
                f"DO $$ DECLARE found text := ({checksum_sql(table, tables[table])}); BEGIN "
                f"IF found <> '{expected}' THEN RAISE EXCEPTION "
                f"'{table}: % (rows:checksum) after the restore, {expected} in the backup', "
                "found; END IF; END $$;"
            )
        return "\n".join(lines) + "\n"

    def extract_media(self, archive: Path, members: list[tarfile.TarInfo]) -> None:
        root = media_root()
        root.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Media: {len(members)} files → {root}")
        with tarfile.open(archive, "r:gz") as tar:
            for number, member in enumerate(members, start=1):
                # The data filter refuses absolute paths, links out of the folder and devices.
                tar.extract(member, root, filter="data")
                report_files(number, len(members), self.stdout.write)
