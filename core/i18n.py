"""The languages, and which language a translated field is shown in: in Python and in SQL.

The rule, for records and articles alike: a field is shown in the visitor's language when it
has text in it, else in the first language that has, in the order of settings.LANGUAGES
(English, Korean, Chinese). Text shown in another language than the page's is a fallback:
its element carries `lang` and the page says so (templates/includes/_fallback_notice.html).
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import escape, format_html
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

# The one list of content languages, in fallback order.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Translated:
    """A field's text as shown, the language it is in, and whether that is a fallback."""

    text: str
    lang: str
    is_fallback: bool

    def __str__(self):
        return self.text

    @property
    def lang_attribute(self):
        """Return ` lang="…"` for the element holding the text when it is a fallback, else ""."""
        return format_html(' lang="{}"', self.lang) if self.is_fallback else ""

    @property
    def html(self):
        """Return the text as HTML; a fallback in a span carrying its `lang`."""
        if self.is_fallback:
            return format_html("<span{}>{}</span>", self.lang_attribute, self.text)
        return escape(self.text)


def fallback_order(language=None):
    """Return the visitor's language first, then English, Korean, Chinese."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return [language] + [code for code in LANGUAGE_CODES if code != language]


def text_in(obj, field, language):
    """Return the field's text in exactly this language, "" when it has none: no fallback."""
    return getattr(obj, build_localized_fieldname(field, language)) or ""


def translated(obj, field, language=None):
    """Return the field's text in the first language that has it, and which language that is.

    `language` defaults to the active one. The one Python helper of the fallback rule.
    """
    fields = _fallback_fields(field, language or get_language() or settings.LANGUAGE_CODE)
    for code, name in fields:
        text = getattr(obj, name)
        if text:
            return Translated(text, code, code != fields[0][0])
    return Translated("", fields[0][0], False)


@functools.lru_cache(maxsize=1024)
def _fallback_fields(field, language):
    """Return (language, attribute) of the field in fallback order: made once, as long
    pages ask for it hundreds of times."""
    return tuple(
        (code, build_localized_fieldname(field, code)) for code in fallback_order(language)
    )


def translated_text(values, field, language):
    """Return translated(obj, field, language).text from `values`, the texts by their
    attribute's name (an instance's __dict__, say): the same rule, for many rows."""
    language = language or get_language() or settings.LANGUAGE_CODE
    for _code, name in _fallback_fields(field, language):
        text = values.get(name)
        if text:
            return text
    return ""


def available_languages(obj, field):
    """Return the codes of the languages in which the field has text."""
    return [code for code in LANGUAGE_CODES if text_in(obj, field, code)]


def choice_labels(choices):
    """Return {value: label} of TextChoices in the active language, each translated once.

    get_FOO_display() translates every choice of the field on each call (to hash it): a
    list of fifty rows would translate its kinds and statuses a thousand times.
    """
    return {choice.value: str(choice.label) for choice in choices}


def fallback_sql(field, language):
    """Return SQL for the field's text by the rule of translated(), applied by the database.

    `field` may follow relations (`partner_region__name`). Where a value per row in Python
    would cost more than the query (exports, sorting), the database applies the fallback.
    """
    text = CharField()
    texts = [
        NullIf(build_localized_fieldname(field, code), Value(""), output_field=text)
        for code in fallback_order(language)
    ]
    return Coalesce(*texts, Value(""), output_field=text)


def missing_in(field, language):
    """Return a Q matching records whose field has no text in this language."""
    localized = build_localized_fieldname(field, language)
    return Q(**{f"{localized}__isnull": True}) | Q(**{localized: ""})


def contains_in_any_language(fields, text):
    """Return a Q matching records where any of the fields, in any language, contains text."""
    lookups = Q()
    for field in fields:
        for language in LANGUAGE_CODES:
            lookups |= Q(**{f"{build_localized_fieldname(field, language)}__icontains": text})
    return lookups
