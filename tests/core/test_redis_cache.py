"""The Redis backend's watched keys: read from memory until a change is announced, and read
from Redis again whenever an announcement may have been missed (core.redis_cache)."""

import os

import pytest

from core.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and not os.environ.get("PORTAL_REQUIRE_REDIS"),
    reason="needs Redis (REDIS_URL); CI sets it",
)

KEY = "watched-test"


class CountingCache(RedisCache):
    """One app server's cache, counting its reads from Redis."""

    reads = 0

    def get(self, key, default=None, version=None):
        self.reads += 1
        return super().get(key, default, version)


@pytest.fixture
def servers():
    params = {"KEY_PREFIX": "portal-test-watched"}
    caches = [CountingCache(os.environ["REDIS_URL"], params) for _server in range(2)]
    yield caches
    caches[0].delete(KEY)


def settle(watcher):
    """Read until Redis has confirmed the watcher's subscription."""
    for _attempt in range(100):
        watcher.get_watched(KEY)
        if watcher._watcher.subscription.confirmed:
            return
    pytest.fail("Redis did not confirm the subscription")


def test_it_reads_a_watched_key_once_while_nothing_is_announced(servers):
    watcher, writer = servers
    writer.set(KEY, 1)
    settle(watcher)
    reads = watcher.reads

    values = [watcher.get_watched(KEY) for _attempt in range(5)]

    assert values == [1] * 5
    assert watcher.reads == reads  # each from memory


def test_it_reads_the_key_again_once_another_server_announces_a_change(servers):
    watcher, writer = servers
    writer.set(KEY, 1)
    settle(watcher)

    writer.incr(KEY)
    writer.announce(KEY)

    assert watcher.get_watched(KEY) == 2


def test_it_never_trusts_memory_after_its_connection_was_lost(servers):
    watcher, writer = servers
    writer.set(KEY, 1)
    settle(watcher)
    watcher._watcher.subscription.connection.disconnect()

    writer.incr(KEY)
    writer.announce(KEY)  # nobody hears it

    assert watcher.get_watched(KEY) == 2
    settle(watcher)
    assert watcher.get_watched(KEY) == 2
