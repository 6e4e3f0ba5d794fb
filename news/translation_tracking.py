"""Out-of-date translations: an article's translation is flagged once its original changes.

`original_revision` counts changes to the text in the original language; `revision_<lang>`
is the original revision that a language's text was last saved against. A translation is
out of date when its revision is lower. The rule is here in its three forms: the write
(article_track_translations, called on every save of an article), the test of one article
(is_stale, Article.is_translation_stale) and the database filter (stale_q, for the admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import F, Q
from modeltranslation.utils import build_localized_fieldname

from core.i18n import LANGUAGE_CODES, missing_in, text_in

if TYPE_CHECKING:
    from .models import Article

# The text a translation is made of: a change to any of these in the original language makes
# the other languages' translations out of date.
TRACKED_FIELDS = ("title", "summary", "body")

# The state of one language of an article, as the admin shows it.
ORIGINAL, CURRENT, STALE, MISSING = "original", "current", "stale", "missing"


def is_stale(article: Article, language: str) -> bool:
    """Return True if the language's text predates the latest change to the original."""
    if language == article.original_language or not text_in(article, "title", language):
        return False
    revision = getattr(article, build_localized_fieldname("revision", language))
    return revision is None or revision < article.original_revision


def stale_q(language: str) -> Q:
    """Return the database's version of is_stale(article, language)."""
    revision = build_localized_fieldname("revision", language)
    outdated = Q(**{f"{revision}__isnull": True}) | Q(
        **{f"{revision}__lt": F("original_revision")}
    )
    return ~missing_in("title", language) & ~Q(original_language=language) & outdated


def translation_state(article: Article, language: str) -> str:
    """Return ORIGINAL, MISSING, STALE or CURRENT for one language of the article."""
    if language == article.original_language:
        return ORIGINAL
    if not text_in(article, "title", language):
        return MISSING
    return STALE if is_stale(article, language) else CURRENT


def _text(article: Article | None, language: str) -> tuple[str, ...]:
    if article is None:
        return ("",) * len(TRACKED_FIELDS)
    return tuple(text_in(article, field, language).strip() for field in TRACKED_FIELDS)


def article_track_translations(
    *,
    article: Article,
    previous: Article | None,
    confirmed_languages: Iterable[str] = (),
) -> None:
    """Bring the article's translation revisions up to date with this save; do not save.

    Call it with the article as it is about to be saved and `previous`, the row as it is in the
    database before the save (None when the article is new). The rule:

    - When the text in the original language (title, summary or body) changed,
      `original_revision` goes up by one.
    - A language whose text changed in this save (a new translation included), or whose
      translation a translator confirms as checked against the current original
      (`confirmed_languages`), is current: its revision becomes `original_revision`.
    - The original language's own revision is always `original_revision`.
    - A language with no text has no revision.

    Every other language keeps its revision, so it is out of date (is_stale) as soon as the
    original moves past it. Changing only a translation never makes another language out of
    date.
    """
    original = article.original_language
    if previous is not None and _text(article, original) != _text(previous, original):
        article.original_revision = previous.original_revision + 1
    confirmed = set(confirmed_languages)
    for language in LANGUAGE_CODES:
        field = build_localized_fieldname("revision", language)
        text = _text(article, language)
        if not any(text):
            setattr(article, field, None)
        elif language == original or language in confirmed or text != _text(previous, language):
            setattr(article, field, article.original_revision)
