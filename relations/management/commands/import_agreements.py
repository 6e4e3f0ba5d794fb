"""Import agreements from a CSV file: `manage.py import_agreements FILE [--dry-run]`."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from relations.importing import MAX_BYTES, agreement_import


class Command(BaseCommand):
    help = (
        "Import agreements from a CSV file in the export's format. Every row is checked; "
        "if any is invalid, nothing is written. The file may be of any size (the admin's "
        f"upload takes at most {MAX_BYTES // 2**20} MB): it is read as it is imported, never "
        "held in memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            stream = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error.strerror}.") from None
        changes = dry_run or options["verbosity"] > 1
        with stream, _ProgressBar(enabled=sys.stdout.isatty()) as progress:
            report = agreement_import(
                file=stream,
                dry_run=dry_run,
                progress=progress,
                max_bytes=None,
                keep_planned=0,
                on_plan=self._print_row if changes else None,
            )
        self._print(report)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): nothing was written.")

    def _print_row(self, row):
        """Print a row's changes as it is checked (on a dry run or with -v 2)."""
        action = "create" if row.action == "create" else f"update #{row.agreement_id}"
        self.stdout.write(f"row {row.row}: {action} {row.title}")
        for change in row.changes:
            self.stdout.write(f"    {change.column}: {change.old!r} -> {change.new!r}")

    def _print(self, report):
        """Print the notes, the errors and what was done."""
        for note in report.notes:
            self.stdout.write(note)
        for problem in report.errors:
            self.stderr.write(f"error: {problem}")
        summary = (
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )
        if report.ok and report.dry_run:
            self.stdout.write(f"Dry run, nothing written: {summary}.")
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))


class _ProgressBar:
    """A tqdm bar over the rows as they are checked; nothing when not on a terminal."""

    def __init__(self, *, enabled):
        self.enabled, self.bar = enabled, None

    def __call__(self, done, total):
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, unit="row", desc="checking", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.bar is not None:
            self.bar.close()
