"""Benchmark the agreement CSV export and the Excel workbook on the generate_sample_data set.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/export_agreements.py

Loads the sample data when the database holds fewer than 100,000 agreements, exports every
agreement through relations.export.stream_agreements_csv into a sink that counts bytes, and
reports the time, SQL queries and memory growth. On PostgreSQL it also times `psql \\copy`
of the same columns computed by one set-based query, the reference the export is held to.
Then it writes the workbook of every agreement (relations.export_xlsx) into a temporary
file, and reports its time, queries and RSS growth. See bench/README.md.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result, ensure_sample_data, setup_django  # noqa: E402

MEMORY_LIMIT = 16 * 2**20
WORKBOOK_MEMORY_LIMIT = 32 * 2**20
COPY_FACTOR = 1.5  # the export may take at most this times the \copy
SQLITE_SECONDS = 3.0  # on SQLite, for 100,000 agreements
RUNS = 2  # best of, for the export and for \copy alike


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def export_once(queryset, request):
    """Stream the CSV into a byte-counting sink; return (seconds, bytes, queries)."""
    from django.db import connection

    from relations import export

    counter = QueryCounter()
    size = 0
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for chunk in export.stream_agreements_csv(queryset, language="en", request=request):
            size += len(chunk.encode("utf-8"))  # what the response does with each string
    return time.perf_counter() - started, size, counter.count


def rss_bytes():
    # ru_maxrss is the peak resident set size so far, in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_export(queryset, request, runs):
    export_once(queryset[:100], request)  # warm-up: imports, URL resolver, translations
    rss_before = rss_bytes()
    seconds, size, queries = min(export_once(queryset, request) for _ in range(runs))
    rss_growth = rss_bytes() - rss_before
    # tracemalloc slows Python down several times, so it gets a run of its own.
    tracemalloc.start()
    export_once(queryset, request)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "bytes": size,
        "queries": queries,
        "rss": rss_growth,
        "traced": traced_peak,
    }


def workbook_once(queryset, request):
    """Write the workbook into an anonymous temporary file; return (seconds, bytes, queries)."""
    from django.db import connection

    from relations import export_xlsx

    counter = QueryCounter()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as file, connection.execute_wrapper(counter):
        export_xlsx.write_agreements_xlsx(queryset, language="en", request=request, file=file)
        size = file.tell()
    return time.perf_counter() - started, size, counter.count


def reset_peak_rss():
    """Start the peak resident set size anew (Linux), so that a figure taken after the CSV's
    counts its own growth, not the CSV's peak."""
    Path("/proc/self/clear_refs").write_text("5")


def measure_workbook(queryset, request, runs):
    workbook_once(queryset[:100], request)  # warm-up: imports, XlsxWriter's formats
    reset_peak_rss()
    rss_before = rss_bytes()
    seconds, size, queries = min(workbook_once(queryset, request) for _ in range(runs))
    return {
        "workbook_seconds": seconds,
        "workbook_bytes": size,
        "workbook_queries": queries,
        "workbook_rss": rss_bytes() - rss_before,
    }


def _pick(table, field):
    """SQL for the field in English, else Korean, else Chinese: the export's fallback."""
    return (
        f"coalesce(nullif({table}.{field}_en, ''), nullif({table}.{field}_ko, ''), "
        f"nullif({table}.{field}_zh_hans, ''), '')"
    )


def copy_sql():
    """The export's columns, computed by PostgreSQL with one set-based query, in the list's
    order: the fields and the signatories aggregated with GROUP BY, then joined."""
    from relations.models import (
        Agreement,
        CooperationField,
        Participation,
        Partnership,
        Person,
        Region,
    )

    t = {
        model.__name__: model._meta.db_table
        for model in (Agreement, CooperationField, Participation, Partnership, Person, Region)
    }
    links = Agreement.fields.through._meta.db_table
    title = _pick("pa", "title")
    return f"""
WITH f AS (
  SELECT af.agreement_id, string_agg({_pick("c", "name")}, '; '
    ORDER BY {_pick("c", "name")} COLLATE "C") AS names
  FROM {links} af JOIN {t["CooperationField"]} c ON c.id = af.cooperationfield_id
  GROUP BY af.agreement_id),
s AS (
  SELECT pa.agreement_id, string_agg({_pick("pe", "name")}
    || CASE WHEN {title} = '' THEN '' ELSE ' (' || {title} || ')' END, '; '
    ORDER BY pa."order", pa.id) AS people
  FROM {t["Participation"]} pa JOIN {t["Person"]} pe ON pe.id = pa.person_id
  WHERE pa.role = 'signatory'
  GROUP BY pa.agreement_id)
SELECT a.id, {_pick("a", "title")}, a.kind, {_pick("h", "name")}, {_pick("r", "name")},
  r.country, p.level,
  CASE a.signed_on_precision WHEN 'year' THEN to_char(a.signed_on, 'YYYY')
    WHEN 'month' THEN to_char(a.signed_on, 'YYYY-MM')
    ELSE coalesce(to_char(a.signed_on, 'YYYY-MM-DD'), '') END,
  a.status, coalesce(to_char(a.valid_until, 'YYYY-MM-DD'), ''), {_pick("a", "venue")},
  coalesce(f.names, ''), coalesce(s.people, ''),
  a.source_url, 'http://localhost/en/agreements/' || a.id || '/'
FROM {t["Agreement"]} a
  JOIN {t["Partnership"]} p ON p.id = a.partnership_id
  JOIN {t["Region"]} h ON h.id = p.home_region_id
  JOIN {t["Region"]} r ON r.id = p.partner_region_id
  LEFT JOIN f ON f.agreement_id = a.id
  LEFT JOIN s ON s.agreement_id = a.id
ORDER BY a.signed_on DESC NULLS LAST, a.id DESC
"""


def psql_arguments():
    from django.db import connection

    settings = connection.settings_dict
    arguments = ["psql", "--no-psqlrc", "--quiet", "-d", settings["NAME"]]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings[key]:
            arguments += [option, str(settings[key])]
    environment = dict(os.environ)
    if settings["PASSWORD"]:
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return arguments, environment


def copy_once():
    """Return the seconds of psql \\copy of the same columns to /dev/null."""
    arguments, environment = psql_arguments()
    sql = " ".join(copy_sql().split())
    command = [*arguments, "-c", f"\\copy ({sql}) TO '/dev/null' WITH (FORMAT csv, HEADER)"]
    started = time.perf_counter()
    subprocess.run(command, check=True, env=environment)
    return time.perf_counter() - started


def measure(runs):
    """Export every agreement, and \\copy them on PostgreSQL, turn about; return the figures."""
    from django.db import connection
    from django.test import RequestFactory

    from relations.models import Agreement

    queryset = Agreement.objects.all()
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    figures = {"rows": queryset.count(), "vendor": connection.vendor, "copy": None}
    figures |= measure_export(queryset, request, runs)
    if connection.vendor == "postgresql" and shutil.which("psql"):
        figures["copy"] = min(copy_once() for _ in range(runs))
    figures |= measure_workbook(queryset, request, runs)
    figures["load"] = os.getloadavg()[0]
    return figures


def to_results(figures):
    rows = figures["rows"]
    name = f"CSV of {rows:,} agreements"
    growth = max(figures["rss"], figures["traced"])
    results = [
        Result("export", f"{name}: time", figures["seconds"], "s", "", True),
        _memory_result(name, growth, figures["vendor"]),
        Result("export", f"{name}: SQL queries", figures["queries"], "", "", True),
    ]
    if figures["copy"] is not None:
        ratio = figures["seconds"] / figures["copy"]
        results += [
            Result("export", "psql \\copy of the same columns", figures["copy"], "s", "", True),
            Result(
                "export",
                f"{name}: time / \\copy",
                ratio,
                "x",
                f"≤ {COPY_FACTOR}",
                ratio <= COPY_FACTOR,
            ),
        ]
    elif figures["vendor"] == "sqlite":
        # Scaled to 100,000 agreements when the database holds another number.
        scaled = figures["seconds"] * 100_000 / max(rows, 1)
        results.append(
            Result(
                "export",
                "CSV of 100,000 agreements on SQLite",
                scaled,
                "s",
                f"≤ {SQLITE_SECONDS:g} s",
                scaled <= SQLITE_SECONDS,
            )
        )
    return results + workbook_results(figures)


def _memory_result(name, growth, vendor):
    """The export's memory growth, held to MEMORY_LIMIT on PostgreSQL, as issue 10 sets it.
    SQLite works inside this process: the pages of its memory map of the database file
    (portal/settings.py) count in the RSS, so its growth is shown without a target."""
    if vendor != "postgresql":
        label = f"{name}: memory growth, SQLite's map of the file included"
        return Result("export", label, growth / 2**20, "MB", "", True)
    return Result(
        "export",
        f"{name}: memory growth",
        growth / 2**20,
        "MB",
        "≤ 16 MB",
        growth <= MEMORY_LIMIT,
    )


def workbook_results(figures):
    name = f"Workbook of {figures['rows']:,} agreements"
    growth = figures["workbook_rss"]
    return [
        Result("export", f"{name}: time", figures["workbook_seconds"], "s", "", True),
        Result(
            "export",
            f"{name}: RSS growth",
            growth / 2**20,
            "MB",
            "≤ 32 MB",
            growth <= WORKBOOK_MEMORY_LIMIT,
        ),
        Result("export", f"{name}: SQL queries", figures["workbook_queries"], "", "", True),
    ]


def results(options):
    """Return the export's figures; `options.quick` times one run of each instead of two."""
    setup_django()
    ensure_sample_data()
    figures = measure(1 if getattr(options, "quick", False) else RUNS)
    return to_results(figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, not two")
    options = parser.parse_args()
    setup_django()
    generated = ensure_sample_data()
    figures = measure(1 if options.quick else RUNS)
    print(f"database: {figures['vendor']}, load average {figures['load']:.2f}")
    print(f"CSV size: {figures['bytes'] / 1e6:.1f} MB")
    print(f"workbook size: {figures['workbook_bytes'] / 1e6:.1f} MB")
    if generated is not None:
        print(f"generate_sample_data: {generated:.0f} s")
    found = to_results(figures)
    for result in found:
        area, name, value, target, verdict = result.row()
        print(f"[{verdict:>6}] {name}: {value}" + (f" (target {target})" if target else ""))
    return 0 if all(result.ok for result in found) else 1


if __name__ == "__main__":
    sys.exit(main())
