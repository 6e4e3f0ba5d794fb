"""What every benchmark shares: Django set up on DATABASE_URL, the sample data, and results.

Each benchmark module (bench/pages.py, bench/search.py, ...) offers

    def results(options) -> list[Result]

and `bench/run.py` (`make bench`) prints every module's results in one table, with each
figure's target and `ok` or `MISSED`. Speed targets are ratios against a reference measured
in the same run wherever the machine's noise would otherwise decide the verdict.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AGREEMENTS = 100_000


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


@dataclass(frozen=True)
class Result:
    """One line of the table: a figure, its unit, the target it must meet, and the verdict."""

    area: str
    name: str
    value: float
    unit: str
    target: str
    ok: bool

    def row(self):
        value = f"{self.value:,.2f}" if isinstance(self.value, float) else f"{self.value:,}"
        verdict = "ok" if self.ok else "MISSED"
        return (self.area, self.name, f"{value} {self.unit}".strip(), self.target, verdict)


def ensure_sample_data():
    """Migrate, then run generate_sample_data in a child process when the national set is missing.

    Returns the seconds it took, or None when the data was there already. A child process, so
    that the generator's memory does not count as the benchmark's.
    """
    from django.core.management import call_command

    from relations.models import Agreement

    create_database()
    call_command("migrate", interactive=False, verbosity=0)
    if Agreement.objects.count() >= SAMPLE_AGREEMENTS:
        vacuum()
        return None
    print("Loading the national-scale sample data (generate_sample_data) ...", flush=True)
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "manage.py"), "generate_sample_data", "--replace"]
    subprocess.run(command, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    vacuum()
    return seconds


def create_database():
    """Create DATABASE_URL's PostgreSQL database when it does not exist yet."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    # The connection Django's test runner uses to create its databases: to `postgres`.
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating the database {name} ...", flush=True)
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def vacuum():
    """VACUUM ANALYZE, as autovacuum would have done by now on a server where it is on.

    Lists count and page through index-only scans, which need the visibility map that VACUUM
    keeps; a benchmark's own rolled-back imports also leave dead rows behind. Some servers
    run with autovacuum off (this machine's does): without this, the figures would measure
    that setting rather than the portal.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
