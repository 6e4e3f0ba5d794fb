"""`make cluster`: nginx in front of two app servers that share PostgreSQL and the Redis cache.

The cluster runs for real (deploy/cluster.py) on the test database, so it needs PostgreSQL
(DATABASE_URL), Redis (REDIS_URL) and nginx; without them the tests are skipped, except that
PORTAL_REQUIRE_NGINX=1 (CI) turns a missing nginx into a failure.
"""

import json
import os
import shutil
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from deploy.client import Visitor, admin_edit, admin_login
from deploy.cluster import STATIC_ROOT, Cluster, ClusterError, find_nginx, free_ports
from tests.factories import RegionFactory

pytestmark = pytest.mark.cluster


def require_cluster_services():
    if connection.vendor != "postgresql":
        pytest.skip("The cluster shares a PostgreSQL database: set DATABASE_URL=postgres://...")
    if not settings.REDIS_URL:
        pytest.skip("The cluster shares a Redis cache: set REDIS_URL=redis://...")
    try:
        find_nginx()
    except ClusterError as error:
        if os.environ.get("PORTAL_REQUIRE_NGINX"):
            pytest.fail(str(error))
        pytest.skip(f"{error} CI installs it and requires it.")


def app_servers_database_url():
    """Return the URL of the test database, for the app servers."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup):
    """One cluster for the module, stopped before the test database is dropped."""
    require_cluster_services()
    port, *app_ports = free_ports(3)
    environ = {**os.environ, "DATABASE_URL": app_servers_database_url()}
    run_dir = tmp_path_factory.mktemp("cluster")
    cluster = Cluster(port=port, app_ports=app_ports, run_dir=run_dir, environ=environ)
    cluster.prepare()
    with cluster:
        yield cluster


def logged_paths(log):
    return [line.split('"')[1].split()[1] for line in log.read_text().splitlines()]


def settled(read, expected, seconds=5):
    """Return read() once it gives `expected`, or what it gives after `seconds`.

    nginx and gunicorn write a request's log line after sending the answer.
    """
    deadline = time.monotonic() + seconds
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_one_app_server_shows_through_the_other_on_the_next_request(cluster):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "cluster-pass-42")
    region = RegionFactory(name_en="Jiangsu Province", slug="jiangsu")
    page = reverse("relations:region_detail", kwargs={"slug": region.slug})
    other_server, through_nginx = Visitor(cluster.app_url(1)), Visitor(cluster.url())
    # Each server has shown the page before the edit: a cache that kept it would now be stale.
    for visitor in (other_server, through_nginx, through_nginx):
        assert "Jiangsu Province" in visitor.get(page).text

    staff = Visitor(cluster.app_url(0))
    admin_login(staff, username="chief", password="cluster-pass-42")
    change_url = reverse("admin:relations_region_change", args=[region.pk])
    admin_edit(staff, change_url, {"name_en": "Jiangsu Renamed"})

    region.refresh_from_db()
    assert region.name_en == "Jiangsu Renamed"
    shown = other_server.get(page).text
    assert "Jiangsu Renamed" in shown
    assert "Jiangsu Province" not in shown
    for _server in cluster.app_ports:  # round robin: one request reaches each app server
        assert "Jiangsu Renamed" in through_nginx.get(page).text


@pytest.mark.django_db(transaction=True)
def test_a_login_on_one_app_server_holds_on_the_other(cluster):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "cluster-pass-42")
    on_a, on_b = Visitor(cluster.app_url(0)), Visitor(cluster.app_url(1))
    assert on_b.get("/admin/").status == 302  # to the login page

    admin_login(on_a, username="chief", password="cluster-pass-42")
    on_b.cookies = dict(on_a.cookies)

    assert on_b.get("/admin/").status == 200


def test_nginx_balances_between_the_app_servers_round_robin(cluster):
    def probes_per_server():
        return [logged_paths(cluster.access_log(i)).count("/healthz") for i in (0, 1)]

    before = probes_per_server()
    visitor = Visitor(cluster.url())
    for _ in range(4):
        assert visitor.get("/healthz").status == 200

    def growth():
        after = probes_per_server()
        return [after[0] - before[0], after[1] - before[1]]

    assert settled(growth, [2, 2]) == [2, 2]


def test_the_health_check_answers_through_nginx(cluster):
    response = Visitor(cluster.url()).get("/healthz")

    assert response.status == 200
    assert response.text == "ok"


def test_nginx_serves_the_static_files_itself(cluster):
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())
    path = f"/static/{manifest['paths']['css/portal.css']}"

    response = Visitor(cluster.url()).get(path)

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/css"
    assert "immutable" in response.headers["Cache-Control"]
    # Django's SecurityMiddleware sets it on everything Django answers, WhiteNoise's files too.
    assert "Referrer-Policy" not in response.headers
    assert settled(lambda: path in logged_paths(cluster.access_log()), True)
    for index in range(len(cluster.app_ports)):
        assert path not in logged_paths(cluster.access_log(index))


def test_nginx_serves_uploads_never_sniffed_and_never_as_a_page(cluster):
    folder = settings.MEDIA_ROOT / f"cluster-test-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    try:
        (folder / "note.html").write_text("<script>alert(1)</script>")
        response = Visitor(cluster.url()).get(f"/media/{folder.name}/note.html")
    finally:
        shutil.rmtree(folder)

    assert response.status == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_signed_agreements_and_minutes_are_not_served_as_media(cluster):
    visitor = Visitor(cluster.url())

    for path in ("/media/agreements/signed.pdf", "/media/meetings/minutes.pdf"):
        response = visitor.get(path)
        assert response.status == 404
        assert "nginx" in response.text  # nginx's own answer: the request never reached Django
