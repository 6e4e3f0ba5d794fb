"""Which language a translated field is shown in, and what to say when it is a fallback."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Translated:
    text: str
    lang: str
    is_fallback: bool

    def __str__(self):
        return self.text


def fallback_order(language=None):
    """Return the visitor's language first, then English, Korean, Chinese."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return [language] + [code for code in LANGUAGE_CODES if code != language]


def in_language(obj, field, language):
    return getattr(obj, build_localized_fieldname(field, language)) or ""


def translated(obj, field, language=None):
    """Return the field's text in the first language that has it, and which language that is."""
    order = fallback_order(language)
    for code in order:
        text = in_language(obj, field, code)
        if text:
            return Translated(text, code, code != order[0])
    return Translated("", order[0], False)


def available_languages(obj, field):
    """Return the codes of the languages in which the field has text."""
    return [code for code in LANGUAGE_CODES if in_language(obj, field, code)]
