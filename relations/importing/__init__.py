"""Agreements from a CSV file: every row is checked before anything is written.

The file is the export's (csv_format.COLUMNS), with the header in English, Korean or
Chinese or as the column keys. A row with an `id` updates that agreement, or creates it
with that id when there is none (so a file can be loaded into an empty database); a row
without one creates an agreement. Columns missing from the file are left as they are;
`level` and `url` are derived and ignored.

One module per step, in the order they run:

- read.py: the bytes, their encoding and the CSV records;
- header.py: the header row, in any language, and the rows under it;
- parse.py: each cell into a value;
- lookups.py: what the rows name, loaded in a few queries for the whole file;
- plan.py: each row's unsaved agreement and the changes the preview lists;
- validate.py: the models' own rules, before anything is written;
- write.py: one transaction, one revision of the history, written by a thread (core.pipe);
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

import gc
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from typing import BinaryIO

from django.utils.translation import gettext as _

from core.batching import batched

from .header import read_table, table_rows
from .lookups import Lookups
from .parse import id_or_none, parse_row
from .plan import Planner, partnership_notes
from .read import MAX_BYTES, records, too_large_message
from .report import ImportFileError, ImportReport, Problem
from .validate import BATCH_SIZE, DuplicateIds, FieldCleaner, plan_problems
from .write import DatabaseError, Writer, refusal

GC_THRESHOLD = 50_000  # allocations between two passes of the youngest generation

__all__ = ["MAX_BYTES", "ImportReport", "Problem", "agreement_import", "too_large_message"]


def agreement_import(
    *,
    file: BinaryIO,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    user=None,
    max_bytes: int | None = MAX_BYTES,
    keep_planned: int | None = None,
    on_plan: Callable | None = None,
) -> ImportReport:
    """Check every row of the CSV file, then write them all, or nothing if any is invalid.

    `file` is a binary file object that can seek; it is read twice, never held in memory.
    `progress(done, total)` is called as rows are checked. `user`, when known, is recorded
    as the author of the import's revisions. `max_bytes` (None: no limit) is the largest
    file accepted; `keep_planned` and `on_plan` are the report's (report.py).
    """
    report = ImportReport(dry_run=dry_run, keep_planned=keep_planned, on_plan=on_plan)
    try:
        survey = _survey(file, max_bytes)
    except ImportFileError as error:
        report.errors += error.problems
        return report
    report.language = survey.table.language
    if not survey.rows:
        report.notes.append(_("The file has a header row but no agreements: nothing to import."))
        return report
    file.seek(0)
    with _fewer_collections():
        _run(file, max_bytes, survey, _Run(report, Lookups(), progress, user))
    report.sort_errors()
    return report


@contextmanager
def _fewer_collections():
    """Run Python's cycle collector less often: every row makes objects (instances, their
    values, their texts) that their references free, and the collector's passes over them
    and over everything already loaded took a quarter of a check's time. The objects that
    exist before are left out of its passes (gc.freeze); the settings are restored after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class _Survey:
    """The first reading of the file: its header, its rows, the largest ID it gives."""

    def __init__(self, table):
        self.table, self.rows, self.highest_id = table, 0, None


def _survey(file, max_bytes):
    found = records(file, max_bytes=max_bytes)
    survey = _Survey(read_table(found))
    position = survey.table.keys.index("id") if "id" in survey.table.keys else None
    for _line, cells in found:
        if any(cell.strip() for cell in cells):
            survey.rows += 1
            if position is not None and position < len(cells):
                given = id_or_none(cells[position].strip())
                if given is not None and (survey.highest_id or 0) < given:
                    survey.highest_id = given
    return survey


class _Run:
    """What one import carries from batch to batch."""

    def __init__(self, report, lookups, progress, user):
        self.report, self.lookups, self.progress, self.user = report, lookups, progress, user
        self.planner = Planner(lookups, report.language)
        self.duplicates, self.cleaner = DuplicateIds(), FieldCleaner()
        self.checks = None  # the connection of the constraints' checks (Writer.checks)
        self.ahead = None  # a function that waits for the next batch's agreements, read ahead
        self.done = 0


def _run(file, max_bytes, survey, run):
    """Check the rows a batch at a time; write each batch while every row so far is valid.

    The transaction opens at the first write, so that nothing is held open while the first
    batch is checked, and it is rolled back when a later row proves invalid. Once writing, a
    batch's agreements are read ahead, with the writes of the batch before (write.py).
    """
    report = run.report
    found = records(file, max_bytes=max_bytes)
    table = read_table(found)
    batches = batched(table_rows(table, found), BATCH_SIZE)
    with ExitStack() as stack:
        writer = None
        batch, run.ahead = next(batches, None), None
        while batch is not None:
            following = next(batches, None)
            plans = _check_batch(batch, following, run, writer, survey.rows)
            if plans is None:
                break
            batch = following
            if report.errors or report.dry_run or not plans:
                continue
            if writer is None:
                writer = stack.enter_context(
                    Writer(lookups=run.lookups, user=run.user, highest_id=survey.highest_id)
                )
                run.checks = writer.checks
            try:
                writer.write(plans)
            except DatabaseError as error:
                # The transaction cannot run another query: stop checking too.
                report.errors.append(refusal(error))
                break
        report.notes += run.planner.notes + partnership_notes(run.lookups)
        if writer is not None:
            _finish(writer, report)
        elif not report.errors and not report.dry_run:
            report.written = True  # nothing to change


def _check_batch(batch, following, run, writer, total):
    """Check one batch, with its agreements read (ahead, while writing); start the reading
    of the following batch. Return its plans, or None when a write of an earlier batch
    failed, which broke the transaction (the failure is then reported)."""
    try:
        read = run.ahead() if run.ahead is not None else Lookups.read_batch(_named(batch))
        run.ahead = None
        if writer is not None and following is not None and not run.report.errors:
            run.ahead = writer.read(Lookups.read_batch, _named(following))
        run.lookups.use_batch(read)
        return _check(batch, run, total)
    except DatabaseError:
        if writer is None or writer.failure() is None:
            raise
        run.report.errors.append(refusal(writer.failure()))
        return None


def _named(batch):
    """Return the (line, row) of the batch's rows that could be read."""
    return [(line, row) for line, row, _problems in batch if row is not None]


def _finish(writer, report):
    """Finish the writes, or roll them back when any row, or the database, refused."""
    if not report.errors:
        try:
            writer.finish()
        except DatabaseError as error:
            report.errors.append(refusal(error))
    if report.errors:
        writer.rollback()
    else:
        report.written = True


def _check(batch, run, total):
    """Plan and check one batch of rows; return the valid plans that change something."""
    report, lookups = run.report, run.lookups
    planned, cell_problems = [], []
    describe = report.wants_changes()
    for line, row, problems in batch:
        run.done += 1
        if row is None:
            report.errors += problems
        else:
            values, found = parse_row(line, row, lookups)
            unread = {problem.column for problem in found}
            planned.append(run.planner.plan(line, values, unread, describe=describe))
            cell_problems.append(
                problems + found + run.duplicates.problems(line, values.get("id"))
            )
        if run.progress is not None:
            run.progress(run.done, total)
    plans = []
    for plan, problems, checked in zip(
        planned, cell_problems, plan_problems(planned, run.cleaner, run.checks), strict=True
    ):
        if problems or checked:
            report.errors += problems + checked
        else:
            report.add_plan(plan)
            if plan.has_changes:
                plans.append(plan)
    return plans
