"""Limit how many long jobs of one kind a client runs at once, across every app server.

A slot is a key in the shared cache (Redis in production, REDIS_URL), taken with an atomic
`add` and given back when the job ends. A slot of a worker that died mid-job expires by
itself after `expires` seconds, so a crash never locks a client out for longer.
"""

from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .clients import client_address

# What a refused visitor is told to wait: about the time one large export takes.
RETRY_AFTER_SECONDS = 30


class ConcurrencyLimit:
    def __init__(self, name, *, slots, expires):
        self.name, self.slots, self.expires = name, slots, expires

    def acquire(self, client):
        """Take a free slot for the client and return its key, or None when all are taken."""
        for number in range(self.slots):
            key = f"concurrency:{self.name}:{client}:{number}"
            if cache.add(key, 1, timeout=self.expires):
                return key
        return None

    @staticmethod
    def release(key):
        cache.delete(key)


class ReleasingIterator:
    """Iterate over chunks, and give the slot back when the response is closed.

    A generator's `finally` would not run when the response is closed before the first
    chunk (a HEAD request, a client that hangs up at once); `close()` always runs.
    """

    def __init__(self, chunks, release):
        self.chunks, self.release = iter(chunks), release
        self.released = False

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.chunks)

    def close(self):
        if not self.released:
            self.released = True
            self.release()
        if hasattr(self.chunks, "close"):
            self.chunks.close()


def limit_concurrent_downloads(name):
    """Refuse a visitor a download while DOWNLOADS_PER_CLIENT of theirs are still running.

    Staff are never limited, and a visitor who downloads one file after another is never
    refused: the slot is given back as soon as a response is complete or abandoned.
    """

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if request.user.is_staff:
                return view(request, *args, **kwargs)
            limit = ConcurrencyLimit(
                name, slots=settings.DOWNLOADS_PER_CLIENT, expires=settings.DOWNLOAD_SLOT_SECONDS
            )
            key = limit.acquire(client_address(request))
            if key is None:
                return _too_many_downloads()
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                limit.release(key)
                raise
            if not response.streaming:
                limit.release(key)
                return response
            release = partial(limit.release, key)
            response.streaming_content = ReleasingIterator(response.streaming_content, release)
            return response

        return limited_view

    return decorator


def _too_many_downloads():
    message = _(
        "Too many downloads from your address are running at once. Wait for one to finish, "
        "then try again."
    )
    response = HttpResponse(f"{message}\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
