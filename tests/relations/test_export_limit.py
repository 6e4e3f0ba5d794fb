"""The public CSV export: at most DOWNLOADS_PER_CLIENT at a time per visitor, across servers."""

import datetime
import os

import pytest
import time_machine
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from core import concurrency
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(db):
    AgreementFactory()
    return reverse("relations:agreement_export")


def visitor(address="198.51.100.7"):
    return Client(REMOTE_ADDR=address)


def hang_up(response):
    """Close the response as the server does when a client goes away, keeping the test's
    database connection open (as Django's test client does while it sends the signal)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_it_refuses_a_third_export_while_two_are_running(url):
    browser = visitor()
    running = [browser.get(url), browser.get(url)]

    refused = browser.get(url)

    assert [r.status_code for r in running] == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert "Too many downloads" in refused.content.decode()
    for response in running:
        b"".join(response.streaming_content)


def test_it_gives_the_slot_back_when_an_export_is_complete(url):
    browser = visitor()
    first, second = browser.get(url), browser.get(url)
    b"".join(first.streaming_content)

    third = browser.get(url)

    assert third.status_code == 200
    b"".join(second.streaming_content)
    b"".join(third.streaming_content)


def test_it_gives_the_slot_back_when_the_visitor_hangs_up_before_the_first_row(url):
    browser = visitor()
    for _attempt in range(3):
        response = browser.get(url)
        assert response.status_code == 200
        hang_up(response)


def test_it_never_refuses_one_export_after_another(url):
    browser = visitor()
    for _attempt in range(10):
        response = browser.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfID,")


def test_it_counts_each_visitor_apart(url):
    running = [visitor().get(url), visitor().get(url)]

    other = visitor("203.0.113.40").get(url)

    assert other.status_code == 200
    for response in [*running, other]:
        b"".join(response.streaming_content)


def test_it_does_not_limit_staff(url, admin_client):
    responses = [admin_client.get(url) for _attempt in range(4)]

    assert [r.status_code for r in responses] == [200] * 4
    for response in responses:
        b"".join(response.streaming_content)


def test_it_frees_the_slot_of_a_worker_that_died(monkeypatch):
    monkeypatch.setattr(concurrency, "cache", LocMemCache("died", {}))
    limit = concurrency.ConcurrencyLimit("died", slots=1, expires=600)
    start = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert limit.acquire("198.51.100.7") is not None
        assert limit.acquire("198.51.100.7") is None
        traveller.shift(datetime.timedelta(seconds=601))
        assert limit.acquire("198.51.100.7") is not None


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and not os.environ.get("PORTAL_REQUIRE_REDIS"),
    reason="needs Redis (REDIS_URL); CI sets it",
)
def test_it_shares_the_slots_between_app_servers(monkeypatch):
    """Two app servers, each with its own connection to the one Redis."""
    location = os.environ["REDIS_URL"]
    servers = [RedisCache(location, {"KEY_PREFIX": "portal-test"}) for _server in range(2)]
    limit = concurrency.ConcurrencyLimit("shared", slots=2, expires=60)
    taken = []
    for server in (*servers, servers[0]):
        monkeypatch.setattr(concurrency, "cache", server)
        taken.append(limit.acquire("198.51.100.7"))

    assert None not in taken[:2]
    assert taken[2] is None
    monkeypatch.setattr(concurrency, "cache", servers[1])
    for key in taken[:2]:
        limit.release(key)
    monkeypatch.setattr(concurrency, "cache", servers[0])
    assert limit.acquire("198.51.100.7") is not None
    servers[0].delete_many([f"concurrency:shared:198.51.100.7:{n}" for n in range(2)])
