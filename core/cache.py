"""The content generation: one number in the shared cache that every change to public content
bumps, so that anything cached from older content is known to be stale.

In the shared cache (Redis with REDIS_URL), so that a change saved through one app server
is seen by every other on its next request. Model writes call `content_changed()` through
signals (portal's page cache connects them); a write that sends none (bulk_create, update(),
raw SQL, a restore) calls it itself.

Content can also change by itself: an article scheduled for a later time appears once that
time comes. Next to each generation the cache keeps the next such moment ("the horizon"), so
that a page cached before it is treated as stale once it passes.
"""

import secrets
import threading

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "content:generation"
# A horizon is worked out again (one query) when its key has expired.
HORIZON_SECONDS = 24 * 60 * 60
NOTHING_SCHEDULED = float("inf")
UNKNOWN = object()
# The changes this thread made that no bump has covered yet.
_changes = threading.local()


def _horizon_key(generation):
    return f"content:horizon:{generation}"


def _new_generation():
    # Never a number used before, even after the key was evicted or the cache cleared (or in
    # a test with the clock stopped): a page stored under an old generation must not match.
    cache.add(GENERATION_KEY, secrets.randbits(62), timeout=None)
    _announce()
    return cache.get(GENERATION_KEY)


def _announce():
    # Redis tells every app server's watcher (core.redis_cache); a local cache needs nobody told.
    announce = getattr(cache, "announce", None)
    if announce is not None:
        announce(GENERATION_KEY)


def content_generation():
    """Return the current generation, starting a new one when the cache has none.

    With Redis, no round trip while the generation has not changed (core.redis_cache).
    """
    read = getattr(cache, "get_watched", cache.get)
    return read(GENERATION_KEY) or _new_generation()


def _bump(scheduled_at):
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:
        _new_generation()
        return
    previous = None if scheduled_at is UNKNOWN else cache.get(_horizon_key(generation - 1))
    if previous is not None:
        remember_horizon(generation, min(previous, scheduled_at))
    _announce()


def content_changed(*, scheduled_at=UNKNOWN):
    """Record a change to public content: everything cached before it goes stale.

    `scheduled_at`: the timestamp at which this change makes content change by itself (an
    article's publish time), or None when it schedules nothing. Left out, anything may have
    been scheduled (a bulk write), and the next page cached looks the horizon up again.

    Inside a transaction the generation is bumped once it commits: until then no other
    request can read the new rows, and a page another request caches meanwhile is stale
    once the bump comes. One bump per transaction, however many rows it writes.
    """
    _note(NOTHING_SCHEDULED if scheduled_at is None else scheduled_at)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        flush_content_changes()
    elif getattr(_changes, "hooks", None) is not connection.run_on_commit:
        # Django replaces this list when it runs or drops the callbacks (commit, rollback):
        # a new list means no flush of ours is waiting for this transaction.
        transaction.on_commit(flush_content_changes)
        _changes.hooks = connection.run_on_commit


def flush_content_changes():
    """Bump the generation for the changes this thread recorded and has not bumped for.

    After each commit; and by the page cache before it reads the generation, so that a
    request sees what its own thread wrote in a transaction still open (as in a test).
    """
    if getattr(_changes, "pending", False):
        _changes.pending = False
        _bump(_changes.scheduled_at)


def _note(scheduled_at):
    if not getattr(_changes, "pending", False):
        _changes.pending, _changes.scheduled_at = True, scheduled_at
    elif UNKNOWN in (scheduled_at, _changes.scheduled_at):
        _changes.scheduled_at = UNKNOWN
    else:
        _changes.scheduled_at = min(scheduled_at, _changes.scheduled_at)


def horizon(generation):
    """Return the timestamp at which content cached at `generation` goes stale by itself.

    NOTHING_SCHEDULED when nothing is scheduled; None when it is not known (look it up and
    remember_horizon() it).
    """
    return cache.get(_horizon_key(generation))


def remember_horizon(generation, timestamp):
    cache.set(_horizon_key(generation), timestamp, timeout=HORIZON_SECONDS)
