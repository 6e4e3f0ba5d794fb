"""Benchmark the agreement CSV import on the generate_sample_data set.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/import_agreements.py

Exports agreements of the sample data with the export, then imports them again: as updates
(every title changed) and as new agreements (the ids left out), 10,000 and 30,000 rows.
Each file goes through a dry run with three ways of checking the constraints, and through
a real run that is rolled back. Reports rows per second, queries, and the ratios to the
dry run that checks no constraint at all. See bench/README.md.
"""

import argparse
import contextlib
import csv
import io
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from export_agreements import QueryCounter, ensure_sample_data  # noqa: E402

from relations import export  # noqa: E402
from relations.importing import agreement_import  # noqa: E402
from relations.models import Agreement, Person, Region  # noqa: E402

try:
    from relations.importing import validate
    from relations.importing.report import Problem
except ImportError:  # a tree from before the importer was a package: "as is" only
    validate = None

# 30,000 rows of the sample data make a file of about 8.7 MB; the import takes up to 10 MB.
SIZES = (10_000, 30_000)
RUNS = 2  # best of, for the dry runs; a real run runs once
SCENARIOS = ("update", "create")
# How the dry run checks the constraints; "as is" is whatever this tree's import does.
VARIANTS = ("as is", "per row", "unchecked")
# The most the constraint checks may add to a dry run, over one that checks none.
CHECK_COST_LIMIT = 1.25


def ambiguous_names(model, field):
    """Return the names that more than one row has: the import refuses to guess between them."""
    shared = model.objects.values(field).annotate(rows=Count("pk")).filter(rows__gt=1)
    return shared.values(field)


def sample_ids(size):
    """Return the ids of `size` agreements whose regions and signatories have unique names."""
    queryset = (
        Agreement.objects.exclude(
            participations__person__name_en__in=ambiguous_names(Person, "name_en")
        )
        .exclude(partnership__partner_region__name_en__in=ambiguous_names(Region, "name_en"))
        .order_by("pk")
    )
    ids = list(queryset.values_list("pk", flat=True)[:size])
    if len(ids) < size:
        sys.exit(f"Only {len(ids):,} agreements have unique names; {size:,} are needed.")
    return ids


def exported_rows(ids):
    """Return the header and the rows of the export of these agreements, in English."""
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    queryset = Agreement.objects.filter(pk__in=ids)
    text = "".join(export.stream_agreements_csv(queryset, language="en", request=request))
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return header, rows


def scenario_file(header, rows, scenario):
    """Return the CSV bytes of the scenario: every title changed, or every id left out."""
    id_column, title_column = header.index("ID"), header.index("Title")
    changed = []
    for row in rows:
        row = list(row)
        if scenario == "create":
            row[id_column] = ""
        else:
            row[title_column] += " (revised)"
        changed.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *changed])
    return buffer.getvalue().encode("utf-8")


def per_row_constraint_problems(plans):
    """Django's own way, Model.validate_constraints(): a query per row and constraint."""
    problems = defaultdict(list)
    for plan in plans:
        try:
            plan.agreement.validate_constraints(exclude=validate.AGREEMENT_EXCLUDED)
        except ValidationError as error:
            problems[plan.line] += [Problem(plan.line, "", m) for m in error.messages]
    return problems


def unchecked_constraint_problems(plans):
    """No constraint checked: the floor the other ways are compared with."""
    return {}


class TimedCheck:
    """Stand in for validate.constraint_problems; add up the seconds spent in it."""

    def __init__(self, variant):
        self.check = {
            "as is": validate.constraint_problems,
            "per row": per_row_constraint_problems,
            "unchecked": unchecked_constraint_problems,
        }[variant]
        self.seconds = 0.0

    def __call__(self, plans):
        started = time.perf_counter()
        try:
            return self.check(plans)
        finally:
            self.seconds += time.perf_counter() - started


def dry_run(data, variant):
    """Return (seconds, queries, seconds in the constraint check or None) of a dry run."""
    if validate is None:
        if variant != "as is":
            sys.exit(f"This tree's import has no constraint check to swap for {variant!r}.")
        return *import_once(data, dry_run=True)[:2], None
    check = TimedCheck(variant)
    with mock.patch.object(validate, "constraint_problems", check):
        seconds, queries, _report = import_once(data, dry_run=True)
    return seconds, queries, check.seconds


def import_once(data, *, dry_run):
    """Import the file; return (seconds, queries, report).

    A real run goes in a transaction that is rolled back, to leave the sample data as it
    was; a dry run does not, as the admin's preview and the command's --dry-run do not.
    """
    counter = QueryCounter()
    rolled_back = contextlib.nullcontext() if dry_run else transaction.atomic()
    started = time.perf_counter()
    with connection.execute_wrapper(counter), rolled_back:
        report = agreement_import(file=io.BytesIO(data), dry_run=dry_run)
        if not dry_run:
            transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"The import refused the file: {[str(p) for p in report.errors[:5]]}")
    return seconds, counter.count, report


def measure(files, variants, write):
    """Return {(size, scenario, run): (seconds, queries, seconds in the constraint check)},
    run being a variant or "write" (a real run, as is)."""
    results = {}
    for (size, scenario), data in files.items():
        for variant in variants:
            result = min(dry_run(data, variant) for _ in range(RUNS))
            results[size, scenario, variant] = result
            print(f"  {size:>6,} {scenario}: dry run, {variant}: {result[0]:.1f} s", flush=True)
        if write:
            seconds, queries, report = import_once(data, dry_run=False)
            assert report.written and report.created + report.updated == size
            results[size, scenario, "write"] = (seconds, queries, None)
            print(f"  {size:>6,} {scenario}: real run: {seconds:.1f} s", flush=True)
    return results


def print_results(results, variants):
    """Print a table per file, then the target when it was measured; return False if it
    was missed."""
    runs = [*variants, "write"]
    checked = []
    print(
        f"\n{'rows':>7} {'file':<7} {'run':<18} {'seconds':>8} {'rows/s':>8} {'queries':>8} "
        f"{'check s':>8}"
    )
    for size, scenario in dict.fromkeys(key[:2] for key in results):
        floor = results.get((size, scenario, "unchecked"), (None,))[0]
        for run in runs:
            if (size, scenario, run) not in results:
                continue
            seconds, queries, check = results[size, scenario, run]
            name = "real run (as is)" if run == "write" else f"dry run, {run}"
            check = "" if check is None else f"{check:.2f}"
            ratio = f"  {seconds / floor:.2f}x unchecked" if floor else ""
            print(
                f"{size:>7,} {scenario:<7} {name:<18} {seconds:>8.1f} {size / seconds:>8,.0f} "
                f"{queries:>8,} {check:>8}{ratio}"
            )
        if floor and (size, scenario, "as is") in results:
            checked.append(results[size, scenario, "as is"][0] <= CHECK_COST_LIMIT * floor)
    if checked:
        print(
            f"\n[{'ok' if all(checked) else 'MISSED'}] the constraint checks add at most "
            f"{CHECK_COST_LIMIT - 1:.0%} to the dry run"
        )
    return all(checked)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=VARIANTS)
    parser.add_argument("--no-write", action="store_true", help="dry runs only")
    options = parser.parse_args()
    ensure_sample_data()
    settings.DEBUG = False  # as in production: no query log in memory
    header, rows = exported_rows(sample_ids(max(options.sizes)))
    files = {
        (size, scenario): scenario_file(header, rows[:size], scenario)
        for size in options.sizes
        for scenario in SCENARIOS
    }
    import_once(scenario_file(header, rows[:100], "update"), dry_run=True)  # warm-up
    print(f"Importing on {connection.vendor} ({connection.settings_dict['NAME']}) ...")
    results = measure(files, options.variants, write=not options.no_write)
    return 0 if print_results(results, options.variants) else 1


if __name__ == "__main__":
    sys.exit(main())
