"""Benchmark generate_sample_data: the national-scale set into a scratch PostgreSQL database.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/generate.py

Creates an empty database next to DATABASE_URL's (its name with `_generate_bench` added),
migrates it, times `manage.py generate_sample_data` there in a child process, and drops the
database again. Needs PostgreSQL and its command-line tools (createdb, dropdb). See
bench/README.md.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Result  # noqa: E402

SECONDS_LIMIT = 90.0  # at scale 1
QUICK_SCALE = 0.1


def scratch_url(url):
    """Return DATABASE_URL with the database's name changed to the scratch one's."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_generate_bench"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def client_arguments(url):
    parts = urlsplit(url)
    arguments = []
    for option, value in (("-h", parts.hostname), ("-p", parts.port), ("-U", parts.username)):
        if value:
            arguments += [option, str(value)]
    environment = dict(os.environ)
    if parts.password:
        environment["PGPASSWORD"] = parts.password
    return arguments, environment


def run(command, environment):
    subprocess.run(command, check=True, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)


def measure(scale):
    """Return (seconds, load average) of generate_sample_data at the scale, in a new database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    scratch, name = scratch_url(url)
    arguments, environment = client_arguments(url)
    environment |= {"DATABASE_URL": scratch, "DJANGO_DEBUG": environment.get("DJANGO_DEBUG", "1")}
    run(["dropdb", "--if-exists", *arguments, name], environment)
    run(["createdb", *arguments, name], environment)
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        run([*manage, "migrate", "--no-input", "-v0"], environment)
        started = time.perf_counter()
        run([*manage, "generate_sample_data", "--scale", str(scale)], environment)
        return time.perf_counter() - started, os.getloadavg()[0]
    finally:
        run(["dropdb", "--if-exists", *arguments, name], environment)


def to_results(scale, measured):
    if measured is None:
        return [Result("generate", "generate_sample_data (needs PostgreSQL)", 0, "", "", True)]
    seconds, _load = measured
    limit = SECONDS_LIMIT * scale
    name = f"generate_sample_data --scale {scale:g}"
    return [Result("generate", name, seconds, "s", f"≤ {limit:g} s", seconds <= limit)]


def results(options):
    """Return the figure; `options.quick` generates a tenth of the set (limit scaled)."""
    scale = QUICK_SCALE if getattr(options, "quick", False) else 1.0
    return to_results(scale, measure(scale))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the set")
    options = parser.parse_args()
    scale = QUICK_SCALE if options.quick else 1.0
    measured = measure(scale)
    if measured is not None:
        print(f"load average {measured[1]:.2f}")
    found = to_results(scale, measured)
    for result in found:
        _area, name, value, target, verdict = result.row()
        print(f"[{verdict:>6}] {name}: {value}" + (f" (target {target})" if target else ""))
    return 0 if all(result.ok for result in found) else 1


if __name__ == "__main__":
    sys.exit(main())
