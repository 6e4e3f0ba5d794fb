"""Benchmark the agreement CSV export on the generate_sample_data set.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/export_agreements.py

Loads the sample data when the database holds fewer than 100,000 agreements, exports every
agreement through relations.export.stream_agreements_csv into a sink that counts bytes, and
reports rows per second, SQL queries, and memory growth (RSS and tracemalloc's peak). On
PostgreSQL it also times `psql \\copy` of the same columns. See bench/README.md.
"""

import math
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from relations import export  # noqa: E402
from relations.models import (  # noqa: E402
    Agreement,
    CooperationField,
    Participation,
    Partnership,
    Person,
    Region,
)

SAMPLE_SIZE = 100_000
MEMORY_LIMIT = 16 * 1024 * 1024
COPY_FACTOR = 3
RUNS = 2  # best of, for the export and for \copy alike


def ensure_sample_data():
    """Run generate_sample_data in a child process if needed; return its seconds or None.

    A child process, so that its memory does not raise this process's peak RSS.
    """
    if Agreement.objects.count() >= SAMPLE_SIZE:
        return None
    print("Loading the sample data (generate_sample_data) ...", flush=True)
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "manage.py"), "generate_sample_data", "--replace"]
    subprocess.run(command, check=True, cwd=ROOT)
    return time.perf_counter() - started


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def export_once(queryset, request):
    """Stream the CSV into a byte-counting sink; return (seconds, bytes, queries)."""
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


def measure_export(queryset, request):
    export_once(queryset[:100], request)  # warm-up: imports, URL resolver, translations
    rss_before = rss_bytes()
    runs = [export_once(queryset, request) for _ in range(RUNS)]
    rss_growth = rss_bytes() - rss_before
    seconds, size, queries = min(runs)
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


def _pick(table, field):
    """SQL for the field in English, else Korean, else Chinese: the export's fallback."""
    return (
        f"coalesce(nullif({table}.{field}_en, ''), nullif({table}.{field}_ko, ''), "
        f"{table}.{field}_zh_hans, '')"
    )


def copy_sql():
    """The export's columns, computed by PostgreSQL itself, in the list's order."""
    t = {
        model.__name__: model._meta.db_table
        for model in (Agreement, CooperationField, Participation, Partnership, Person, Region)
    }
    links = Agreement.fields.through._meta.db_table
    return f"""
SELECT a.id, {_pick("a", "title")}, a.kind, {_pick("h", "name")}, {_pick("r", "name")},
  r.country, p.level,
  CASE a.signed_on_precision WHEN 'year' THEN to_char(a.signed_on, 'YYYY')
    WHEN 'month' THEN to_char(a.signed_on, 'YYYY-MM')
    ELSE coalesce(to_char(a.signed_on, 'YYYY-MM-DD'), '') END,
  a.status, coalesce(to_char(a.valid_until, 'YYYY-MM-DD'), ''), {_pick("a", "venue")},
  (SELECT string_agg({_pick("f", "name")}, '; ' ORDER BY {_pick("f", "name")})
     FROM {links} af JOIN {t["CooperationField"]} f ON f.id = af.cooperationfield_id
     WHERE af.agreement_id = a.id),
  (SELECT string_agg({_pick("pe", "name")} || CASE WHEN {_pick("pa", "title")} = '' THEN ''
       ELSE ' (' || {_pick("pa", "title")} || ')' END, '; ' ORDER BY pa."order", pa.id)
     FROM {t["Participation"]} pa JOIN {t["Person"]} pe ON pe.id = pa.person_id
     WHERE pa.agreement_id = a.id AND pa.role = 'signatory'),
  a.source_url, 'http://localhost/en/agreements/' || a.id || '/'
FROM {t["Agreement"]} a
  JOIN {t["Partnership"]} p ON p.id = a.partnership_id
  JOIN {t["Region"]} h ON h.id = p.home_region_id
  JOIN {t["Region"]} r ON r.id = p.partner_region_id
ORDER BY a.signed_on DESC NULLS LAST, a.id DESC
"""


def psql_arguments():
    settings = connection.settings_dict
    arguments = ["psql", "--no-psqlrc", "--quiet", "-d", settings["NAME"]]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings[key]:
            arguments += [option, str(settings[key])]
    environment = dict(os.environ)
    if settings["PASSWORD"]:
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return arguments, environment


def measure_copy():
    """Return the best seconds of psql \\copy of the same columns to /dev/null, or None."""
    if connection.vendor != "postgresql" or not shutil.which("psql"):
        return None
    arguments, environment = psql_arguments()
    sql = " ".join(copy_sql().split())
    command = [*arguments, "-c", f"\\copy ({sql}) TO '/dev/null' WITH (FORMAT csv, HEADER)"]
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, env=environment)
        times.append(time.perf_counter() - started)
    return min(times)


def report(rows, result, copy_seconds, generated_seconds):
    chunks = math.ceil(rows / export.CHUNK_SIZE)
    # The main query and the fields' names, then fields and signatories per chunk.
    expected_queries = 2 + 2 * chunks
    growth = max(result["rss"], result["traced"])
    lines = [
        ("database", f"{connection.vendor} ({connection.settings_dict['NAME']})"),
        ("agreements exported", f"{rows:,}"),
        ("CSV size", f"{result['bytes'] / 1e6:.1f} MB"),
        ("export time (best of 2)", f"{result['seconds']:.2f} s"),
        ("rows per second", f"{rows / result['seconds']:,.0f}"),
        ("SQL queries", f"{result['queries']} ({chunks} chunks of {export.CHUNK_SIZE})"),
        ("RSS growth (ru_maxrss)", f"{result['rss'] / 2**20:.1f} MB"),
        ("tracemalloc peak", f"{result['traced'] / 2**20:.1f} MB"),
    ]
    if copy_seconds is not None:
        lines.append(("psql \\copy time (best of 2)", f"{copy_seconds:.2f} s"))
        lines.append(("export / \\copy", f"{result['seconds'] / copy_seconds:.2f}x"))
    if generated_seconds is not None:
        lines.append(("generate_sample_data", f"{generated_seconds:.0f} s"))
    width = max(len(name) for name, _value in lines)
    for name, value in lines:
        print(f"{name:<{width}}  {value}")
    print()
    checks = [
        ("memory growth under 16 MB", growth < MEMORY_LIMIT),
        (f"queries = 2 + 2 per chunk ({expected_queries})", result["queries"] == expected_queries),
    ]
    if copy_seconds is not None:
        checks.append(
            (f"at most {COPY_FACTOR}x the \\copy time", result["seconds"] <= 3 * copy_seconds)
        )
    for name, held in checks:
        print(f"[{'ok' if held else 'MISSED'}] {name}")
    return all(held for _name, held in checks)


def main():
    generated_seconds = ensure_sample_data()
    queryset = Agreement.objects.all()
    rows = queryset.count()
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    print(f"Exporting {rows:,} agreements ...", flush=True)
    result = measure_export(queryset, request)
    copy_seconds = measure_copy()
    return 0 if report(rows, result, copy_seconds, generated_seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
