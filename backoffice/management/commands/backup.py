"""Write a backup of the database and the uploaded media: `make backup`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backoffice.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive portal-<YYYYmmdd-HHMMSS>.tar.gz with the database, the uploaded "
        "media and a manifest of checksums, signed with DJANGO_BACKUP_KEY when it is set; "
        "print its path, then whether it is signed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=settings.BASE_DIR / "var" / "backups",
            help="Where to write the archive (default: var/backups).",
        )

    def handle(self, *args, output_dir, **options):
        try:
            path = backup_create(output_dir=output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
        if settings.BACKUP_KEY:
            self.stdout.write("Signed with DJANGO_BACKUP_KEY; restore it with the same key.")
        else:
            self.stdout.write(
                "Not signed: DJANGO_BACKUP_KEY is not set. Restoring it will need "
                "--allow-unsigned (make restore ... ALLOW_UNSIGNED=1)."
            )
