"""Benchmark the cluster: an edit saved on one app server, read through the other and nginx.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/cluster.py [--quick]

Starts `make cluster`'s nginx and two app servers (deploy/cluster.py) on free ports, on the
benchmark's database and Redis. For each round it shows a region's page through app server B
and through nginx (so a cache would hold it), renames the region in the admin of app server A,
then reads the page again through B and twice through nginx (round robin: once from each app
server). It reports the views that still showed the old name (the target is none: the change
shows on the very next request) and how long B took to answer that first view, a cache miss,
over HTTP. The region gets its name back through the admin at the end, and the staff account
made for the run is deleted.
"""

import argparse
import secrets
import tempfile
from contextlib import contextmanager

from common import Result, median, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from deploy.client import Visitor, admin_edit, admin_login  # noqa: E402
from deploy.cluster import Cluster, ClusterError, find_nginx, free_ports  # noqa: E402
from relations.models import Region  # noqa: E402

ROUNDS, QUICK_ROUNDS = 10, 3
FIRST_VIEW_TARGET_MS = 50


@contextmanager
def staff_account():
    """Yield the name and password of a superuser that exists for the run only."""
    username, password = f"bench-cluster-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    user = get_user_model().objects.create_superuser(username, None, password)
    try:
        yield username, password
    finally:
        user.delete()


def measure(cluster, region, username, password, rounds):
    """Rename the region `rounds` times on app server A; return the views on B and nginx."""
    with translation.override("en"):
        page = region.get_absolute_url()
    change_url = reverse("admin:relations_region_change", args=[region.pk])
    other_server, through_nginx = Visitor(cluster.app_url(1)), Visitor(cluster.url())
    staff = Visitor(cluster.app_url(0))
    admin_login(staff, username=username, password=password)
    stale = {"B": 0, "nginx": 0}
    first_views = []
    try:
        for number in range(rounds):
            for visitor in (other_server, through_nginx, through_nginx):
                visitor.get(page)
            name = f"{region.name_en} (cluster bench {number + 1})"
            admin_edit(staff, change_url, {"name_en": name})
            view = other_server.get(page)
            first_views.append(view.seconds * 1000)
            stale["B"] += name not in view.text
            stale["nginx"] += sum(name not in through_nginx.get(page).text for _ in range(2))
    finally:
        admin_edit(staff, change_url, {"name_en": region.name_en})
    return stale, first_views


def results(options):
    try:
        find_nginx()
    except ClusterError as error:
        print(f"cluster: skipped: {error}")
        return []
    if not settings.REDIS_URL:
        print("cluster: skipped: the app servers share the Redis cache; set REDIS_URL.")
        return []
    region = Region.objects.order_by("pk").first()
    if region is None:
        print("cluster: skipped: the database has no region to edit.")
        return []
    rounds = QUICK_ROUNDS if options.quick else ROUNDS
    port, *app_ports = free_ports(3)
    with tempfile.TemporaryDirectory() as run_dir, staff_account() as (username, password):
        cluster = Cluster(port=port, app_ports=app_ports, run_dir=run_dir)
        cluster.prepare()
        with cluster:
            stale, first_views = measure(cluster, region, username, password, rounds)
    return [
        Result(
            "cluster",
            f"stale views on app server B after an edit on A ({rounds})",
            stale["B"],
            "",
            "0",
            stale["B"] == 0,
        ),
        Result(
            "cluster",
            f"stale views through nginx after an edit ({2 * rounds})",
            stale["nginx"],
            "",
            "0",
            stale["nginx"] == 0,
        ),
        Result(
            "cluster",
            "B's first view after an edit (cache miss, HTTP), median",
            median(first_views),
            "ms",
            f"≤ {FIRST_VIEW_TARGET_MS} ms",
            median(first_views) <= FIRST_VIEW_TARGET_MS,
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds, not {ROUNDS}"
    )
    for result in results(parser.parse_args()):
        print("  ".join(result.row()))


if __name__ == "__main__":
    main()
