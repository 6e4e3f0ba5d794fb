"""The Redis cache backend of the settings: Django's own RedisCache, with its redis-py clients
reused and keys that can be watched without a round trip.

A watched key (the content generation, core.cache) is read once, then served from memory until
a change to it is announced: every app server subscribes to one channel, and whoever changes a
watched key announces it there. Redis has written an announcement to every subscriber's
connection before it answers the next command of the announcer, so once `announce()` has
returned, the next read of any watcher sees the change; a look at the subscription's socket,
which costs no round trip, tells whether an announcement came. Until Redis has confirmed the
subscription (again, after a reconnection, when announcements may have been missed), every
read goes to Redis.
"""

from django.core.cache.backends import redis as django_redis
from redis.client import PubSub
from redis.exceptions import RedisError


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client, keeping one redis-py client per connection pool.

    Django builds a new redis.Redis for every cache operation, which takes redis-py 8 about
    0.2 ms: as long as the rest of a cached page's answer.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def subscription(self, channel):
        subscription = Subscription(self._get_connection_pool(write=False))
        subscription.subscribe(channel)
        return subscription


class Subscription(PubSub):
    """A subscription that knows whether Redis has confirmed it since it last connected."""

    confirmed = False

    def on_connect(self, connection):
        # A reconnection: what was announced while the connection was down is lost.
        self.confirmed = False
        super().on_connect(connection)


class KeyWatcher:
    """The values of watched keys, read from Redis again only after an announcement."""

    def __init__(self, backend, channel):
        self.backend, self.channel = backend, channel
        self.values, self.subscription = {}, None

    def get(self, key):
        self._drain()
        if key in self.values:
            return self.values[key]
        value = self.backend.get(key)
        if value is not None and self.subscription is not None and self.subscription.confirmed:
            self.values[key] = value
        return value

    def _drain(self):
        try:
            if self.subscription is None:
                self.subscription = self.backend._cache.subscription(self.channel)
            while (message := self.subscription.get_message(timeout=0)) is not None:
                self.values.clear()
                if message["type"] == "subscribe":
                    self.subscription.confirmed = True
        except RedisError:
            self.subscription = None
        if self.subscription is None or not self.subscription.confirmed:
            self.values.clear()


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache with the client above, as RedisCacheClient.get_client() invites.

    Django gives each thread its own backend instance, and so its own watcher.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._watcher = None

    def get_watched(self, key):
        """Return get(key), from memory while no change to the key has been announced."""
        if self._watcher is None:
            self._watcher = KeyWatcher(self, self._channel())
        return self._watcher.get(key)

    def announce(self, key):
        """Tell every watcher that the key changed; call it after the change."""
        client = self._cache.get_client(write=True)
        client.publish(self._channel(), key)
        # Redis may answer the PUBLISH before it writes the message to the subscribers, but
        # in the same turn of its loop: the answer to a second command comes after them all.
        client.ping()
        if self._watcher is not None:
            self._watcher.values.clear()

    def _channel(self):
        # Channels are shared by every database of a Redis server: the database and the key
        # prefix keep sites (and test runs) apart.
        database = self._cache._get_connection_pool(write=True).connection_kwargs.get("db", 0)
        return f"{self.make_key('watched-keys')}:db{database}"
