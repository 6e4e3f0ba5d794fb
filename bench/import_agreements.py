"""Benchmark the agreement CSV import on the generate_sample_data set.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/import_agreements.py

Exports agreements of the sample data, then imports them again from files of 200,000 rows
(every agreement whose names are unique, its title changed, then new agreements made of the
same rows with the ID left out), each import in a child process whose peak RSS is its own,
in a transaction that is rolled back so that the sample data stays as it was:

- the whole file, for real: the target is 60 s and 256 MB;
- the same file with one bad row near the end: nothing may be written, the row reported;
- the admin's largest upload (MAX_BYTES), a dry run (the preview) and a real run (the
  confirmation): each must end well within gunicorn's 30 s timeout.

See bench/README.md.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Result, ensure_sample_data, setup_django  # noqa: E402

ROWS = 200_000
QUICK_ROWS = 20_000
SECONDS_LIMIT = 60.0  # for ROWS; scaled down for a quick run
MEMORY_LIMIT = 256 * 2**20
UPLOAD_SECONDS_LIMIT = 20.0  # gunicorn's timeout is 30 s; the rest is margin for the machine
BAD_KIND = "Treaty of nothing"


# ---- The files


def unique_name_ids():
    """Return the ids of the agreements whose regions and signatories have unique English
    names: the import refuses to guess between two people of the same name."""
    from django.db.models import Count

    from relations.models import Agreement, Person, Region

    def ambiguous(model, field):
        shared = model.objects.values(field).annotate(rows=Count("pk")).filter(rows__gt=1)
        return shared.values(field)

    queryset = (
        Agreement.objects.exclude(participations__person__name_en__in=ambiguous(Person, "name_en"))
        .exclude(partnership__partner_region__name_en__in=ambiguous(Region, "name_en"))
        .order_by("pk")
    )
    return list(queryset.values_list("pk", flat=True))


def exported_rows(ids):
    """Return the header and the rows of the export of these agreements, in English."""
    from django.test import RequestFactory

    from relations import export
    from relations.models import Agreement

    request = RequestFactory().get("/", HTTP_HOST="localhost")
    queryset = Agreement.objects.filter(pk__in=ids).order_by("pk")
    text = "".join(export.stream_agreements_csv(queryset, language="en", request=request))
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return header, rows


def file_rows(header, rows, size):
    """Return `size` rows: each exported row once as an update, then as new agreements."""
    id_column, title_column = header.index("ID"), header.index("Title")
    updates = min(len(rows), size // 2)
    made = []
    for number in range(size):
        row = list(rows[number % len(rows)])
        if number < updates:
            row[title_column] += " (revised)"
        else:
            row[id_column] = ""
            row[title_column] += f" (copy {number})"
        made.append(row)
    return made


def write_file(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff")
        csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return path


def make_files(directory, size):
    """Write the benchmark's files; return {name: (path, rows)}."""
    from relations.importing import MAX_BYTES

    header, rows = exported_rows(unique_name_ids())
    whole = file_rows(header, rows, size)
    bad = [list(row) for row in whole]
    bad_line = len(bad) - 10
    bad[bad_line - 2][header.index("Kind")] = BAD_KIND  # line 1 is the header
    upload, total = [], len(",".join(header)) + 5
    for row in whole:
        total += len(",".join(row).encode()) + 4  # quotes and line ends, roughly
        if total > MAX_BYTES * 0.98:
            break
        upload.append(row)
    return {
        "whole": (write_file(directory / "whole.csv", header, whole), len(whole)),
        "bad": (write_file(directory / "bad.csv", header, bad), bad_line),
        "upload": (write_file(directory / "upload.csv", header, upload), len(upload)),
    }


# ---- One import, in a child process


def child(path, dry_run, admin):
    """Import the file in a transaction that is rolled back; print what happened as JSON.

    `admin`: as the admin's upload does (its size limit, its preview rows), else as the
    import_agreements command does (any size, no rows kept for a preview).
    """
    from django.db import connection, transaction

    from relations.admin_import import PREVIEW_ROWS
    from relations.importing import MAX_BYTES, agreement_import
    from relations.models import Agreement

    before = Agreement.objects.count()
    progress = []
    started = time.perf_counter()
    with transaction.atomic():
        with open(path, "rb") as file:
            report = agreement_import(
                file=file,
                dry_run=dry_run,
                progress=lambda done, total: progress.append(done),
                max_bytes=MAX_BYTES if admin else None,
                keep_planned=PREVIEW_ROWS if admin else 0,
            )
        seconds = time.perf_counter() - started
        after = Agreement.objects.count()
        transaction.set_rollback(True)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "written": report.written,
                "created": report.created,
                "updated": report.updated,
                "errors": [[p.row, str(p)] for p in report.errors[:5]],
                "error_count": len(report.errors),
                "added": after - before,
                "progress_calls": len(progress),
                "vendor": connection.vendor,
                "peak_rss": _peak_rss(),
            }
        )
    )


def _peak_rss():
    """Return this process's peak RSS in bytes (VmHWM), or None where /proc has none.

    Not getrusage()'s ru_maxrss: a child process's counts the pages it shared with its parent
    between fork and exec, so it cannot be lower than the benchmark's own RSS (the exported
    rows it made the files of) however little the import takes.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def run_child(path, *, dry_run, admin=False):
    """Run one import in a child process; return its JSON and its peak RSS in bytes."""
    command = [sys.executable, __file__, "--child", str(path)]
    if dry_run:
        command.append("--dry-run")
    if admin:
        command.append("--admin")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"The import of {path} failed:\n{output}")
    found = json.loads(output.strip().splitlines()[-1])
    return found, found.get("peak_rss") or usage.ru_maxrss * 1024


# ---- The figures


def measure(size):
    with tempfile.TemporaryDirectory() as directory:
        files = make_files(Path(directory), size)
        found = {"rows": size, "load": os.getloadavg()[0]}
        path, _rows = files["whole"]
        found["whole"] = run_child(path, dry_run=False)
        path, found["bad_line"] = files["bad"]
        found["bad"] = run_child(path, dry_run=False)
        path, found["upload_rows"] = files["upload"]
        found["upload_size"] = path.stat().st_size
        found["upload_dry"] = run_child(path, dry_run=True, admin=True)
        found["upload_real"] = run_child(path, dry_run=False, admin=True)
    compact()
    return found


def compact():
    """Give back the room of the rows the imports wrote and rolled back (VACUUM FULL).

    VACUUM only marks it free: the tables would stay four times their size, and the next
    run's pages and searches, reading them whole or in part, would measure that.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (FULL, ANALYZE)")


def to_results(found):
    size = found["rows"]
    limit = SECONDS_LIMIT * size / ROWS
    whole, rss = found["whole"]
    whole_ok = whole["written"] and whole["created"] + whole["updated"] == size
    bad, _rss = found["bad"]
    bad_ok = (
        not bad["written"]
        and bad["added"] == 0
        and bad["error_count"] == 1
        and bad["errors"][0][0] == found["bad_line"]
    )
    rows = f"{size:,} rows"
    upload = (
        f"admin upload of {found['upload_size'] / 2**20:.1f} MB ({found['upload_rows']:,} rows)"
    )
    results = [
        Result(
            "import",
            f"{rows}: time",
            whole["seconds"],
            "s",
            f"≤ {limit:g} s",
            whole_ok and whole["seconds"] <= limit,
        ),
        Result("import", f"{rows}: rows per second", size / whole["seconds"], "", "", True),
        Result("import", f"{rows}: peak RSS", rss / 2**20, "MB", "≤ 256 MB", rss <= MEMORY_LIMIT),
        Result(
            "import",
            f"{rows}, one bad row on line {found['bad_line']:,}: nothing written",
            bad["seconds"],
            "s",
            "1 error, 0 written",
            bad_ok,
        ),
    ]
    for name, key in (("preview", "upload_dry"), ("confirmation", "upload_real")):
        seconds = found[key][0]["seconds"]
        results.append(
            Result(
                "import",
                f"{upload}: {name}",
                seconds,
                "s",
                f"≤ {UPLOAD_SECONDS_LIMIT:g} s",
                seconds <= UPLOAD_SECONDS_LIMIT,
            )
        )
    return results


def results(options):
    """Return the import's figures; `options.quick` imports 20,000 rows instead of 200,000."""
    setup_django()
    ensure_sample_data()
    return to_results(measure(QUICK_ROWS if getattr(options, "quick", False) else ROWS))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows, not 200,000")
    parser.add_argument("--rows", type=int, help="the size of the file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--admin", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    setup_django()
    if options.child:
        return child(options.child, options.dry_run, options.admin)
    ensure_sample_data()
    size = options.rows or (QUICK_ROWS if options.quick else ROWS)
    found = measure(size)
    print(f"database: {found['whole'][0]['vendor']}, load average {found['load']:.2f}")
    for result in to_results(found):
        _area, name, value, target, verdict = result.row()
        print(f"[{verdict:>6}] {name}: {value}" + (f" (target {target})" if target else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
