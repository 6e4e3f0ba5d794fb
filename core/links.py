"""Absolute links for hreflang, canonical tags, the sitemap, feeds and CSV."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(request, path):
    """Return `path` made absolute with DJANGO_PUBLIC_URL, or else with the request's host."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def public_origin():
    """Return (scheme, host and path prefix) of DJANGO_PUBLIC_URL, or None when it is unset."""
    if not settings.PUBLIC_URL:
        return None
    parts = urlsplit(settings.PUBLIC_URL)
    return parts.scheme, parts.netloc + parts.path.rstrip("/")
