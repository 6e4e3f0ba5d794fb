"""Agreements from a CSV file: every row is checked before anything is written.

The file is the export's (csv_format.COLUMNS), with the header in English, Korean or
Chinese or as the column keys. A row with an `id` updates that agreement, or creates it
with that id when there is none (so a file can be loaded into an empty database); a row
without one creates an agreement. Columns missing from the file are left as they are;
`level` and `url` are derived and ignored.

One module per step, in the order they run:

- read.py: the bytes, their encoding and the CSV records;
- parse.py: the header row, then each cell into a value;
- lookups.py: what the rows name, loaded in a few queries for the whole file;
- plan.py: each row's unsaved agreement and the changes the preview lists;
- validate.py: the models' own rules, before anything is written;
- write.py: one transaction, one revision of the history;
- report.py: what the import tells the admin and the command.

Validation holds no copy of the models' rules. Fields are checked by the models'
`full_clean()`; the check constraints by the database, which evaluates each constraint's
own condition over the planned rows, a batch per query, before anything is written
(validate.check_failures). Why not Django's `validate_constraints()`: it runs a query per
row, and on 30,000 rows on PostgreSQL (bench/import_agreements.py) it took 21 s, making
the dry run 3 times slower; the batch takes 0.3 s of a 9 to 10 s dry run. Why not let the
writes find the violations (the dry run writing, then rolling back): every preview would
take as long as the import itself, 15 to 19 times the dry run, and would move PostgreSQL's
id sequence, which a rollback does not undo. So the dry run and the real run run the same
checks before writing, and the database checks the real run's writes once more.
"""

from collections.abc import Callable
from typing import BinaryIO

from django.utils.translation import gettext as _

from core.batching import batched

from .lookups import Lookups
from .parse import parse_row, read_table
from .plan import Planner, partnership_notes
from .read import MAX_BYTES, read_text, records, too_large_message
from .report import ImportFileError, ImportReport, Problem
from .validate import BATCH_SIZE, DuplicateIds, plan_problems
from .write import write_or_report

__all__ = ["MAX_BYTES", "ImportReport", "Problem", "agreement_import", "too_large_message"]


def agreement_import(
    *,
    file: BinaryIO,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    user=None,
) -> ImportReport:
    """Check every row of the CSV file, then write them all, or nothing if any is invalid.

    `file` is a binary file object. `progress(done, total)` is called as rows are checked.
    `user`, when known, is recorded as the author of the import's revision.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(records(read_text(file)))
    except ImportFileError as error:
        report.errors += error.problems
        return report
    report.language = table.language
    report.errors += table.problems
    if not table.rows and not report.errors:
        report.notes.append(_("The file has a header row but no agreements: nothing to import."))
        return report
    lookups = Lookups(table.rows)
    plans = _plan_rows(table, lookups, report, progress)
    if report.errors or dry_run:
        return report
    write_or_report(plans, lookups, user, report)
    return report


def _plan_rows(table, lookups, report, progress):
    """Plan and check the rows, a batch at a time; return the valid plans that change
    something."""
    planner, duplicates = Planner(lookups, table.language), DuplicateIds()
    plans, done = [], 0
    for batch in batched(table.rows, BATCH_SIZE):
        planned, cell_problems = [], []
        for line, row in batch:
            values, problems = parse_row(line, row, lookups)
            unread = {problem.column for problem in problems}
            planned.append(planner.plan(line, values, unread))
            cell_problems.append(problems + duplicates.problems(line, values.get("id")))
            done += 1
            if progress is not None:
                progress(done, len(table.rows))
        for plan, problems, checked in zip(
            planned, cell_problems, plan_problems(planned), strict=True
        ):
            if problems or checked:
                report.errors += problems + checked
            else:
                report.add_plan(plan)
                if plan.has_changes:
                    plans.append(plan)
    report.notes += planner.notes + partnership_notes(lookups)
    report.sort_errors()
    return plans
