"""The page cache: public pages served to anonymous visitors from the shared cache, never stale.

A page is stored with the content generation it was rendered at (core.cache) and served only
while that generation is current and its horizon (the next scheduled article) has not passed.
Every write to public content bumps the generation through the signals connected here, so the
next request after a change renders the page anew, on every app server sharing the cache.

What is stored is the whole response after every inner middleware ran, headers included
(CSP, X-Frame-Options, Content-Language, Vary), with an ETag for conditional GETs. A visitor
with a session or messages gets every page rendered for them, and never stores one.

A hit costs no query and, with Redis, usually no round trip either: each process keeps the
pages it served last (LocalPages), and learns of a new generation from Redis's announcement
(core.redis_cache), not by asking on every request.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

from core.cache import (
    NOTHING_SCHEDULED,
    content_changed,
    content_generation,
    flush_content_changes,
    horizon,
    remember_horizon,
)
from core.parts import Part, parts_deleted
from news.models import Article, PendingChange

LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
# The public pages outside the language prefixes.
UNPREFIXED_PAGES = re.compile(r"/(?:robots\.txt|sitemap(?:-[\w-]+)?\.xml)")
# A visitor with one of these may see something of their own (a message, a staff link).
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
STORED_STATUSES = frozenset({200, 301, 302, 404})
# Downloads stream and have their own limit per visitor; the preview is staff-only.
NEVER_STORED = frozenset(
    {
        "relations:agreement_export",
        "relations:agreement_export_xlsx",
        "relations:agreement_document",
        "news:article_preview",
    }
)
NOT_PUBLIC = frozenset({PendingChange})
CONTENT_APPS = ("relations", "news")
# Per process (each gunicorn worker): the most recently served pages, about this many bytes.
LOCAL_PAGE_BYTES = 32 * 1024 * 1024
# Part of every page's key: change it with Entry's fields, so that no server reads an entry
# another release wrote.
ENTRY_FORMAT = 1


class Entry(NamedTuple):
    generation: int
    valid_until: float
    status: int
    headers: tuple
    content: bytes

    def is_fresh(self, generation):
        return self.generation == generation and time.time() < self.valid_until

    def response(self):
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


def is_public_page(request):
    """Return True if the request is for a page the cache may answer: GET or HEAD of a page
    of the public site."""
    path = request.path_info
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and (path.startswith(LANGUAGE_PREFIXES) or UNPREFIXED_PAGES.fullmatch(path) is not None)
    )


def is_anonymous(request):
    """Return True if the request carries no session and no messages."""
    return not any(name in request.COOKIES for name in PRIVATE_COOKIES)


def page_key(request):
    # The host is part of the URL: without DJANGO_PUBLIC_URL, pages link to the request's
    # host. The language matters for unprefixed pages, negotiated as LocaleMiddleware does.
    language = translation.get_language_from_request(request, check_path=True)
    url = request.build_absolute_uri()
    return f"page:{ENTRY_FORMAT}:" + hashlib.sha256(f"{language} {url}".encode()).hexdigest()


def vary_on_cookie(response):
    """Say that the page depends on the cookies: a session gets a page rendered for it."""
    patch_vary_headers(response, ("Cookie",))


def serve(request, get_response):
    """Answer from the cache, or render the page and store it for the next visitor."""
    flush_content_changes()
    key = page_key(request)
    generation = content_generation()
    entry = local_pages.get(key)
    if entry is None or not entry.is_fresh(generation):
        entry = cache.get(key)
        if entry is not None and entry.is_fresh(generation):
            local_pages.put(key, entry)
    if entry is not None and entry.is_fresh(generation):
        return _conditional(request, entry.response())
    # Before rendering: an article whose time comes during the rendering ends the page's
    # life at once instead of being missed.
    valid_until = _horizon(generation)
    response = get_response(request)
    vary_on_cookie(response)
    if not _may_store(request, response):
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    entry = Entry(
        generation, valid_until, response.status_code, tuple(response.items()), response.content
    )
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    local_pages.put(key, entry)
    return _conditional(request, response)


class LocalPages:
    """The pages this process served last: a hit in them costs no round trip to Redis.

    Each is checked against the generation like any other, so none is ever served stale.
    """

    def __init__(self, max_bytes):
        self.max_bytes, self.size = max_bytes, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()  # runserver's threads share them

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            replaced = self.entries.pop(key, None)
            self.size += len(entry.content) - (len(replaced.content) if replaced else 0)
            self.entries[key] = entry
            while self.size > self.max_bytes:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.content)


local_pages = LocalPages(LOCAL_PAGE_BYTES)


def _horizon(generation):
    """Return when pages of this generation go stale by themselves; a query when unknown."""
    timestamp = horizon(generation)
    if timestamp is None or timestamp <= time.time():
        timestamp = next_publication()
        remember_horizon(generation, timestamp)
    return timestamp


def next_publication():
    """Return the timestamp of the next scheduled article (ArticleQuerySet.public); runs a
    query."""
    scheduled = Article.objects.filter(
        status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
    ).order_by("publish_at")
    first = scheduled.values_list("publish_at", flat=True).first()
    return first.timestamp() if first else NOTHING_SCHEDULED


def _may_store(request, response):
    cache_control = {word.lower() for word in cc_delim_re.split(response.get("Cache-Control", ""))}
    view_name = getattr(request.resolver_match, "view_name", None)
    return (
        request.method == "GET"
        and response.status_code in STORED_STATUSES
        and not response.streaming
        # A CSRF token, a message or a new session each come with a cookie.
        and not response.cookies
        and not cache_control & {"private", "no-cache", "no-store"}
        and view_name not in NEVER_STORED
    )


def _conditional(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


# ---- Invalidation


def _saved(sender, instance, **kwargs):
    publish_at = instance.publish_at if isinstance(instance, Article) else None
    scheduled = publish_at is not None and publish_at > timezone.now()
    content_changed(scheduled_at=publish_at.timestamp() if scheduled else None)


def _changed(sender, **kwargs):
    content_changed(scheduled_at=None)


def _links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed(scheduled_at=None)


def _code_changed(sender, **kwargs):
    content_changed()


def connect_signals():
    """Record a change on every write to a public record or to its links."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model in NOT_PUBLIC:
                continue
            uid = f"page_cache.{model._meta.label}"
            post_save.connect(_saved, sender=model, dispatch_uid=uid)
            m2m_changed.connect(_links_changed, sender=model, dispatch_uid=uid)
            # A delete receiver keeps Django from deleting rows in bulk: the parts of a record
            # (links; participations, members, meetings: core.parts) go with it, whose own
            # delete records the change; a part's own delete sends parts_deleted.
            if not model._meta.auto_created and not issubclass(model, Part):
                post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    parts_deleted.connect(_changed, dispatch_uid="page_cache.parts")
    # A deploy runs migrate: pages rendered by the previous code's templates go. A test's
    # changed setting (PUBLIC_URL, say) changes pages as much as a write does.
    post_migrate.connect(_code_changed, dispatch_uid="page_cache.migrate")
    setting_changed.connect(_changed, dispatch_uid="page_cache.setting")
