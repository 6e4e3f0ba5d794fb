"""`make bench`: every benchmark on PostgreSQL at national scale, in one table.

    DATABASE_URL=postgres://... .venv/bin/python bench/run.py [--quick] [--only pages,search]

It loads the national-scale data when the database lacks it (bench/common.py), then runs each
area's module of bench/ (AREAS, in that order) and prints every figure with its target and
`ok` or `MISSED`; it exits with status 1 when a figure is missed or an area fails. Each area
runs in a child process of its own, which imports the module and calls its
`results(options)`: one area's memory peak, Django state or crash never counts against the
next. An area without its module, or whose module has no `results`, is noted and skipped.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from importlib import import_module
from pathlib import Path

from common import Result, ensure_sample_data, setup_django

BENCH = Path(__file__).resolve().parent
AREAS = (
    "pages",
    "search",
    "cache",
    "export_agreements",
    "import_agreements",
    "generate",
    "cluster",
)
COLUMNS = ("area", "figure", "value", "target", "verdict")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run of each area")
    parser.add_argument(
        "--only",
        action="append",
        dest="areas",
        default=[],
        metavar="AREA",
        help=f"run these areas only, comma-separated or repeated: {', '.join(AREAS)}",
    )
    parser.add_argument("--child", metavar="AREA", help=argparse.SUPPRESS)
    parser.add_argument("--results-file", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    # `areas`, not `only`: the namespace goes to every area's results(), which may have an
    # option of its own by that name.
    chosen = {area for value in options.areas for area in value.split(",") if area}
    unknown = sorted(chosen - set(AREAS))
    if unknown:
        parser.error(f"unknown area {', '.join(unknown)}; the areas are {', '.join(AREAS)}")
    options.areas = [area for area in AREAS if area in chosen or not chosen]
    return options


def run_area(area, options):
    """In the child: import bench/<area>.py, call its results(options), write them as JSON."""
    if not (BENCH / f"{area}.py").exists():
        outcome = {"skipped": f"there is no bench/{area}.py yet"}
    else:
        setup_django()
        results = getattr(import_module(area), "results", None)
        if callable(results):
            outcome = {"results": [asdict(result) for result in results(options)]}
        else:
            outcome = {"skipped": f"bench/{area}.py has no results(options)"}
    options.results_file.write_text(json.dumps(outcome))


def area_results(area, options, notes):
    """Run one area in a child process; return its results, adding a note when it has none."""
    print(f"\n==== {area}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        command = [sys.executable, __file__, "--child", area, "--results-file", str(results_file)]
        if options.quick:
            command.append("--quick")
        finished = subprocess.run(command, cwd=BENCH.parent)
        if finished.returncode or not results_file.exists():
            notes.append((area, f"FAILED (exit status {finished.returncode}; its output above)"))
            return []
        outcome = json.loads(results_file.read_text())
    if "skipped" in outcome:
        notes.append((area, f"skipped: {outcome['skipped']}"))
        return []
    if not outcome["results"]:
        notes.append((area, "no figures (its output above says why)"))
    return [Result(**fields) for fields in outcome["results"]]


def print_table(results):
    rows = [COLUMNS, *(result.row() for result in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    print("\n".join(line.rstrip() for line in lines))


def load_average():
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main():
    options = parse_args()
    if options.child:
        run_area(options.child, options)
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench measures PostgreSQL at national scale: set DATABASE_URL, e.g.\n"
            "  createdb -h 127.0.0.1 -U postgres portal_bench\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench make bench"
        )
    setup_django()
    started_load = load_average()
    loaded = ensure_sample_data()
    if loaded is not None:
        print(f"The national-scale data took {loaded:.0f} s to generate.")
    results, notes = [], []
    for area in options.areas:
        results += area_results(area, options, notes)
    print(f"\n==== make bench{' --quick' if options.quick else ''}: {len(results)} figures")
    print_table(results)
    for area, note in notes:
        print(f"{area}: {note}")
    print(f"Load average (1, 5, 15 min): {started_load} at the start, {load_average()} at the end")
    missed = [result for result in results if not result.ok]
    failed = [area for area, note in notes if note.startswith("FAILED")]
    if missed or failed:
        sys.exit(f"{len(missed)} figures MISSED, {len(failed)} areas failed")


if __name__ == "__main__":
    main()
