"""The agreement CSV's columns and cell rules, shared by the export and the import."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# OWASP "CSV Injection": a spreadsheet evaluates a cell that begins with one of these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
ESCAPE = "'"
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    key: str
    header: Promise


COLUMNS = (
    Column("id", _("ID")),
    Column("title", _("Title")),
    Column("kind", _("Kind")),
    Column("home_region", _("Home region")),
    Column("partner_region", _("Partner region")),
    Column("partner_country", _("Partner country")),
    Column("level", _("Level")),
    Column("signed_on", _("Signed on")),
    Column("status", _("Status")),
    Column("valid_until", _("Valid until")),
    Column("venue", _("Venue")),
    Column("fields", _("Fields")),
    Column("signatories", _("Signatories")),
    Column("source_url", _("Source URL")),
    Column("url", _("URL")),
)
KEYS = tuple(column.key for column in COLUMNS)


def neutralize(text):
    """Prefix a quote so no spreadsheet evaluates the cell; `restore` undoes it.

    A cell that already begins with the quote is prefixed too, so the rule is reversible.
    """
    if text and (text.startswith(FORMULA_TRIGGERS) or text.startswith(ESCAPE)):
        return ESCAPE + text
    return text


def restore(text):
    """Return the text that `neutralize` was given.

    Only a quote that guards a trigger or a quote is taken off: a title that begins with
    one of its own, such as "'Tis the season", is left whole.
    """
    if text.startswith(ESCAPE) and text[len(ESCAPE) :].startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return text[len(ESCAPE) :]
    return text
