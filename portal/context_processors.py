from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

from core.i18n import LANGUAGE_CODES
from core.links import absolute_url


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str  # the same page in this language, with the query string: for the switcher
    href: str  # absolute, without the query string: for hreflang alternates
    is_current: bool


def _path_in(request, code):
    """Return the current path in another language, or that language's home page."""
    path = translate_url(request.path, code)
    if path == request.path and code != get_language():
        # Not a page of i18n_patterns (a 404, say): offer the home page instead.
        with override(code):
            path = reverse("home")
    return path


def language_links(request):
    query = request.GET.urlencode()
    links = []
    for code in LANGUAGE_CODES:
        path = _path_in(request, code)
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=f"{path}?{query}" if query else path,
                href=absolute_url(request, path),
                is_current=code == get_language(),
            )
        )
    return links


def site(request):
    return {
        "language_links": language_links(request),
        # A detail view narrows this to the languages its record is written in.
        "available_languages": LANGUAGE_CODES,
        "canonical_url": absolute_url(request, request.path),
        "public_url": settings.PUBLIC_URL,
    }
