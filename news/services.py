"""Writes to news articles that carry a rule."""

from collections.abc import Iterable

from modeltranslation.utils import build_localized_fieldname

from .models import LANGUAGE_CODES, Article

# The text a translation is made of: a change to any of these in the original language makes
# the other languages' translations out of date.
TRACKED_FIELDS = ("title", "summary", "body")


def _text(article: Article | None, language: str) -> tuple[str, ...]:
    if article is None:
        return ("",) * len(TRACKED_FIELDS)
    return tuple(
        (getattr(article, build_localized_fieldname(field, language)) or "").strip()
        for field in TRACKED_FIELDS
    )


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

    Every other language keeps its revision, so it is out of date
    (`Article.is_translation_stale`) as soon as the original moves past it. Changing only a
    translation never makes another language out of date.
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
