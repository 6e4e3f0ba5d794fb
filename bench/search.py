"""Site search at national scale: p95 and median of `portal.search.search()` and of the page.

    DATABASE_URL=postgres://... .venv/bin/python bench/search.py [--quick]

Each query of QUERIES runs REPEATS times through `search()` and through the view with the
test Client (the page cache emptied before each request, so that every request renders);
the figures are per call, in milliseconds, and the target is a p95 of at most 50 ms for each.

Before timing, an oracle check: for every query, the hits of each kind (the first
COUNT_LIMIT, in order) and their count are compared with a plain `icontains` over the same
fields, which is also timed once per query, as the reference the search replaced.

The rare groups hold queries found in few records, which cannot stop at the first hits: two
ASCII letters ("xq"), answered through the trigram index by a regular expression, and single
letters between spaces or punctuation ("e_c"), which have no trigram worth looking up in the
text and are answered through the index of its joints (portal/search/backends.py). They have
the same target as the others.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result, ensure_sample_data, median, percentile, setup_django  # noqa: E402

QUERIES = {
    "1 character": ["江", "경", "a", "시"],
    "2 characters": ["장쑤", "江苏", "Ji", "友好"],
    "3+ characters": ["Jiangsu", "Dodamso", "자매결연", "agreement", "Gyeonggi Province"],
    "no hits": ["없는단어", "長沙", "Quokka", "zzq"],
}
QUERIES["rare, 2 letters"] = ["xq", "kw"]
# "in a": its letters beside the space ("N A") are in half the texts, the words in none.
QUERIES["rare, single letters and punctuation"] = ["e_c", "R&D", "in a"]
REPEATS, QUICK_REPEATS = 20, 5
TARGET_MS = 50
LANGUAGE = "en"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    return parser.parse_args(argv)


def _ms(function):
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _oracle(query):
    """Return {kind: (ids of the first COUNT_LIMIT hits in order, count)} by icontains."""
    from core.i18n import contains_in_any_language
    from portal.search import COUNT_LIMIT, KINDS

    found = {}
    for kind in KINDS:
        # A subquery: an article linked to two matching regions is one hit.
        matching = kind.source.model._base_manager.filter(
            contains_in_any_language(kind.source.searched, query)
        )
        records = kind.records(LANGUAGE).filter(pk__in=matching.values("pk"))
        found[kind.name] = (
            list(records.values_list("pk", flat=True)[:COUNT_LIMIT]),
            records.count(),
        )
    return found


def _searched(query):
    from portal.search import COUNT_LIMIT, search

    results = search(query=query, language=LANGUAGE, limit_per_kind=COUNT_LIMIT)
    return {
        group.kind: ([record.pk for record in group.items], group.count, group.more)
        for group in results.groups
    }


def check_oracle(query):
    """Return the kinds whose hits differ from icontains', and the icontains time in ms."""
    from portal.search import COUNT_LIMIT, normalize_query

    query = normalize_query(query)
    started = time.perf_counter()
    expected = _oracle(query)
    reference_ms = (time.perf_counter() - started) * 1000
    wrong = []
    for kind, (ids, count, more) in _searched(query).items():
        want_ids, want_count = expected[kind]
        if ids != want_ids or (count, more) != (
            min(want_count, COUNT_LIMIT),
            want_count > COUNT_LIMIT,
        ):
            wrong.append(kind)
    return wrong, reference_ms


def _time_search(query, repeats):
    from portal.search import search

    search(query=query, language=LANGUAGE)  # warm up: plans, caches
    return [_ms(lambda: search(query=query, language=LANGUAGE)) for _ in range(repeats)]


def _time_page(client, query, repeats):
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import translation

    with translation.override(LANGUAGE):
        url = reverse("search")
    times = []
    for _ in range(repeats + 1):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url, {"q": query})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times[1:]


def _summary(label, times):
    return f"{label}: median {median(times):6.1f} ms, p95 {percentile(times, 0.95):6.1f} ms"


def measure(options):
    """Return {group: {"search": [ms], "page": [ms]}}, printing each query's figures."""
    from django.test import Client

    repeats = QUICK_REPEATS if options.quick else REPEATS
    client = Client(HTTP_HOST="localhost")
    figures, wrong_kinds = {}, []
    for group, queries in QUERIES.items():
        figures[group] = {"search": [], "page": [], "reference": []}
        for query in queries:
            wrong, reference_ms = check_oracle(query)
            wrong_kinds += [f"{query}: {kind}" for kind in wrong]
            searched = _time_search(query, repeats)
            page = _time_page(client, query, repeats)
            figures[group]["search"] += searched
            figures[group]["page"] += page
            figures[group]["reference"].append(reference_ms)
            verdict = f"  WRONG: {', '.join(wrong)}" if wrong else ""
            print(
                f"  {query!r:22} {_summary('search()', searched)} | {_summary('page', page)}"
                f" | icontains {reference_ms:7.1f} ms{verdict}",
                flush=True,
            )
    return figures, wrong_kinds


def results(options):
    setup_django()
    ensure_sample_data()
    _check_index()
    figures, wrong = measure(options)
    found = []
    for group, times in figures.items():
        for what in ("search", "page"):
            p95 = percentile(times[what], 0.95)
            found.append(
                Result(
                    "search",
                    f"{'search()' if what == 'search' else 'page'} p95, {group}",
                    round(p95, 1),
                    "ms",
                    f"≤ {TARGET_MS} ms",
                    p95 <= TARGET_MS,
                )
            )
    everything = [t for group in QUERIES for t in figures[group]["search"]]
    found.append(
        Result(
            "search",
            "search() median, all queries",
            round(median(everything), 1),
            "ms",
            "(none)",
            True,
        )
    )
    reference = [t for group in QUERIES for t in figures[group]["reference"]]
    found.append(
        Result(
            "search",
            "icontains (the old search) median, same queries",
            round(median(reference), 1),
            "ms",
            "(none)",
            True,
        )
    )
    found.append(
        Result(
            "search", "queries whose hits differ from icontains", len(wrong), "", "0", not wrong
        )
    )
    return found


def _check_index():
    """Refuse to measure an index that does not hold every record (run `migrate`)."""
    from portal.search.documents import SOURCES

    for source in SOURCES.values():
        records, rows = source.model._base_manager.count(), source.table.objects.count()
        if records != rows:
            raise SystemExit(
                f"{source.table.__name__} holds {rows} rows for {records} records: run "
                "`manage.py migrate` (or `rebuild_search_index`) first."
            )


def main():
    options = parse_args()
    found = results(options)
    width = max(len(result.name) for result in found)
    for result in found:
        area, name, value, target, verdict = result.row()
        print(f"{name:{width}}  {value:>12}  {target:>10}  {verdict}")
    return 0 if all(result.ok for result in found) else 1


if __name__ == "__main__":
    sys.exit(main())
