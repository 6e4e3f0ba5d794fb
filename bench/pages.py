"""Benchmark every public page and admin change list at national scale, with no page cache.

    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--quick] [--only NAME]

Each page is requested in-process through django.test.Client: anonymous for public pages, as
a superuser for the admin. The cache is a local-memory one of the benchmark's own, cleared
before every request, so that each figure is a cache miss: the first visit after an edit.
A page's figure is the median server time of 9 requests (3 with --quick) after one warm-up,
which also counts its SQL queries. Targets (issue 10): 50 ms for a public page, 100 ms for
an admin list, 150 ms for an admin list with a search. That the query counts are the same
at demo size is asserted by the tests (tests/*/test_query_counts.py, test_admin_lists.py).

The pages are those of the largest records: the partnership with most agreements, the home
region with every partnership, the agreement with most participants, the article linked to
most partnerships, the working group with most meetings; the last page of each list. The
superuser and its sessions are written in a transaction that is rolled back at the end, and
so is a working group with members and meetings when the sample data has none.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, ensure_sample_data, median, setup_django  # noqa: E402

setup_django()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from news.models import Article  # noqa: E402
from portal.sitemaps import SITEMAPS  # noqa: E402
from relations.models import (  # noqa: E402
    Agreement,
    CooperationField,
    Meeting,
    Partnership,
    Person,
    Region,
    WorkingGroup,
    WorkingGroupMember,
)

AREA = "pages"
PUBLIC_MS = 50
ADMIN_MS = 100
ADMIN_SEARCH_MS = 150
# A cache of its own, never the shared one: clearing a Redis cache would flush its database.
BENCH_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": AREA}
}
# Requests per page: nine, not the five, so that one slow request of a noisy shared
# machine moves the median less.
RUNS = 9
AGREEMENTS_PER_PAGE = 20
ARTICLES_PER_PAGE = 10
ADMIN_PER_PAGE = 50
REGIONS_PER_PAGE = 50
# The working group the benchmark makes when the sample data has none: a large one.
BENCH_GROUP_MEMBERS = 40
BENCH_GROUP_MEETINGS = 100


class Rollback(Exception):
    """Raised to undo what the benchmark wrote: its superuser, its sessions, its working group."""


def _largest(queryset, counted, field="slug"):
    """Return the field of the row with the most `counted`, or "" when there are none."""
    row = queryset.order_by().annotate(n=Count(counted)).order_by("-n", "pk").first()
    return getattr(row, field) if row else ""


def _last_page(count, per_page):
    return max(1, -(-count // per_page))


def _working_group(partnership_slug):
    """Return the pk of the working group with most meetings; made for the benchmark, in the
    partnership with most agreements, when the sample data has none."""
    found = _largest(WorkingGroup.objects, "meetings", "pk")
    if found:
        return found
    group = WorkingGroup.objects.create(
        partnership=Partnership.objects.get(slug=partnership_slug),
        name_en="Joint working group (benchmark)",
        mandate_en="Cooperation in every field.",
        status=WorkingGroup.Status.ACTIVE,
    )
    group.fields.set(CooperationField.objects.all()[:5])
    roles = list(WorkingGroupMember.Role)
    people = Person.objects.order_by("pk")[:BENCH_GROUP_MEMBERS]
    WorkingGroupMember.objects.bulk_create(
        WorkingGroupMember(group=group, person=person, side="home", role=roles[i % len(roles)])
        for i, person in enumerate(people)
    )
    Meeting.objects.bulk_create(
        Meeting(
            group=group, held_on=datetime.date(2000 + i // 12, i % 12 + 1, 15), place_en="Suwon"
        )
        for i in range(BENCH_GROUP_MEETINGS)
    )
    return group.pk


def sample():
    """Return the records the pages show: the largest ones, and values for each filter."""
    home = Region.objects.home().first()
    field = CooperationField.objects.first()
    partnership = _largest(Partnership.objects, "agreements")
    return {
        "partnership": partnership,
        "home": home.slug if home else "",
        "partner": _largest(Region.objects.partners(), "partnerships_as_partner__agreements"),
        "agreement": _largest(Agreement.objects, "participations", "pk"),
        "field": field.slug if field else "",
        "article": _largest(Article.objects.public(), "partnerships"),
        "news_partnership": _largest(Partnership.objects, "articles"),
        "agreement_pages": _last_page(Agreement.objects.count(), AGREEMENTS_PER_PAGE),
        "news_pages": _last_page(Article.objects.public().count(), ARTICLES_PER_PAGE),
        "partnership_pages": _last_page(Partnership.objects.count(), 50),
        "region_pages": _last_page(Region.objects.partners().count(), REGIONS_PER_PAGE),
        "working_group": _working_group(partnership),
        "sitemap_pages": {
            name: sitemap().paginator.num_pages for name, sitemap in SITEMAPS.items()
        },
    }


def public_pages(s):
    """Return (name, URL) of every public page worth a figure."""
    agreements = "/en/agreements/"
    sitemap_pages = s["sitemap_pages"]
    every_filter = (
        f"country=CN&level=sisterhood&kind=mou&status=in_force&field={s['field']}"
        "&year_from=1995&year_to=2020"
    )
    return [
        ("home", "/en/"),
        ("home, Korean", "/ko/"),
        ("partnership list", "/en/partnerships/"),
        ("partnership list, last page", f"/en/partnerships/?page={s['partnership_pages']}"),
        ("partnership list, filtered", "/en/partnerships/?country=CN&level=sisterhood"),
        ("agreement list", agreements),
        ("agreement list, page 40", f"{agreements}?page=40"),
        ("agreement list, middle page", f"{agreements}?page={s['agreement_pages'] // 2}"),
        ("agreement list, last page", f"{agreements}?page={s['agreement_pages']}"),
        ("agreement list, q=Dodamso", f"{agreements}?q=Dodamso"),
        ("agreement list, q=agreement page 40", f"{agreements}?q=agreement&page=40"),
        ("agreement list, q=semiconductors", f"{agreements}?q=semiconductors"),
        ("agreement list, country", f"{agreements}?country=CN"),
        ("agreement list, country page 40", f"{agreements}?country=CN&page=40"),
        ("agreement list, level", f"{agreements}?level=friendship"),
        ("agreement list, partner", f"{agreements}?partner={s['partner']}"),
        ("agreement list, field page 40", f"{agreements}?field={s['field']}&page=40"),
        ("agreement list, years", f"{agreements}?year_from=2000&year_to=2010"),
        ("agreement list, bad year", f"{agreements}?year_from=abc"),
        ("agreement list, every filter", f"{agreements}?{every_filter}"),
        ("partner suggestions", f"{agreements}suggestions/partner/?q=lin"),
        ("partnership detail, largest", f"/en/partnerships/{s['partnership']}/"),
        ("region detail, home", f"/en/regions/{s['home']}/"),
        (
            "region detail, home last page",
            f"/en/regions/{s['home']}/?page={s['partnership_pages']}",
        ),
        ("region detail, partner", f"/en/regions/{s['partner']}/"),
        ("region list", "/en/regions/"),
        ("region list, Korean", "/ko/regions/"),
        ("region list, last page", f"/en/regions/?page={s['region_pages']}"),
        ("region list, country", "/en/regions/?country=CN"),
        ("region list, country page 20", "/en/regions/?country=CN&page=20"),
        ("working group", f"/en/working-groups/{s['working_group']}/"),
        ("working group, Chinese", f"/zh-hans/working-groups/{s['working_group']}/"),
        ("agreement detail", f"{agreements}{s['agreement']}/"),
        ("news list", "/en/news/"),
        ("news list, Korean", "/ko/news/"),
        ("news list, page 40", "/en/news/?page=40"),
        ("news list, last page", f"/en/news/?page={s['news_pages']}"),
        ("news list, partnership", f"/en/news/?partnership={s['news_partnership']}"),
        ("news list, region page 40", f"/en/news/?region={s['home']}&page=40"),
        ("news list, year", "/en/news/?year=2020"),
        ("article", f"/en/news/{s['article']}/"),
        ("feed, English", "/en/news/feed/"),
        ("feed, Korean", "/ko/news/feed/"),
        ("feed, Chinese", "/zh-hans/news/feed/"),
        ("sitemap index", "/sitemap.xml"),
        *(
            (
                f"sitemap, {name}{', last page' if page > 1 else ''}",
                f"/sitemap-{name}.xml?p={page}",
            )
            for name, pages in sitemap_pages.items()
            for page in sorted({1, pages})
        ),
    ]


ADMIN_LISTS = {
    "agreements": (Agreement, "Jiangsu"),
    "partnerships": (Partnership, "Jiangsu"),
    "regions": (Region, "Jiangsu"),
    "people": ("relations.person", "Kim"),
    "exchanges": ("relations.exchange", "Jiangsu"),
    "working groups": ("relations.workinggroup", "Jiangsu"),
    "articles": (Article, "Jiangsu"),
}


def admin_pages():
    """Return (name, URL, searched) of every admin change list, with and without a search."""
    models = {model._meta.label_lower: model for model in admin.site._registry}
    pages = []
    for name, (model, query) in ADMIN_LISTS.items():
        model = models[model] if isinstance(model, str) else model
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        page = max(1, min(40, _last_page(model._default_manager.count(), ADMIN_PER_PAGE)))
        pages += [
            (f"admin {name}", url, False),
            (f"admin {name}, page {page}", f"{url}?p={page}", False),
            (f"admin {name}, ?q={query}", f"{url}?q={query}", True),
        ]
    pages.append(("admin agreements, filtered", "/admin/relations/agreement/?kind=mou", False))
    return pages


def measure(client, url, runs):
    """Return (median milliseconds, queries) of GETs of the page, after one warm-up."""
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    cache.clear()
    with connection.execute_wrapper(counted):
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return median(times), len(queries)


def _result(name, figures, target):
    milliseconds, queries = figures
    ok = milliseconds <= target
    return Result(
        AREA, f"{name} ({queries} queries)", round(milliseconds, 1), "ms", f"≤ {target} ms", ok
    )


def _measure_all(runs, only):
    found = []
    anonymous = Client(HTTP_HOST="localhost")
    for name, url in public_pages(sample()):
        if only in name:
            found.append(_result(name, measure(anonymous, url, runs), PUBLIC_MS))
    staff = Client(HTTP_HOST="localhost")
    user = get_user_model().objects.create_superuser("bench-pages", "bench@example.org", None)
    staff.force_login(user)
    for name, url, searched in admin_pages():
        if only in name:
            target = ADMIN_SEARCH_MS if searched else ADMIN_MS
            found.append(_result(name, measure(staff, url, runs), target))
    return found


def results(options):
    ensure_sample_data()
    runs = 3 if options.quick else RUNS
    found = []
    with override_settings(CACHES=BENCH_CACHES):
        try:
            with transaction.atomic():
                found = _measure_all(runs, getattr(options, "only", None) or "")
                raise Rollback
        except Rollback:
            pass
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"3 requests per page, not {RUNS}")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    options = parser.parse_args()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    found = results(options)
    print(f"load average at the start: {load}; at the end: {os.getloadavg()[0]:.2f}")
    for result in found:
        _area, name, value, target, verdict = result.row()
        print(f"{verdict:<6}  {value:>12}  {target:<10}  {name}")
    return 0 if all(result.ok for result in found) else 1


if __name__ == "__main__":
    sys.exit(main())
