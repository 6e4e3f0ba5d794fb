"""Restore a backup written by `backup` into an empty database: `make restore FILE=...`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backoffice.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and MEDIA_ROOT, after checking its "
        "paths, its signature (DJANGO_BACKUP_KEY) and its checksums. Refuses a database that "
        "holds data and media files that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive, portal-<timestamp>.tar.gz.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="Restore an archive whose signature cannot be checked: unsigned, or no "
            "DJANGO_BACKUP_KEY set. A wrong signature is refused all the same.",
        )

    def handle(self, *args, file, yes, allow_unsigned, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if not yes:
            self.confirm(file)
        try:
            manifest = backup_restore(archive=file, allow_unsigned=allow_unsigned)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = sum(1 for entry in manifest["files"] if entry["path"].startswith("media/"))
        self.stdout.write(
            f"Restored {file} (made {manifest['created_at']}): the database and "
            f"{media} media files. Run `manage.py migrate` if the code is newer than the backup."
        )

    def confirm(self, file):
        target = f"{connection.vendor} database {settings.DATABASES['default']['NAME']}"
        try:
            answer = input(f"Restore {file} into the {target} and {settings.MEDIA_ROOT}? [y/N] ")
        except EOFError:
            raise CommandError("No answer (no terminal?); pass --yes to restore.") from None
        if answer.strip().lower() not in ("y", "yes"):
            raise CommandError("Nothing restored.")
