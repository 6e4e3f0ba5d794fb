"""Parsing each cell of a row (header.py has read the header) into a value: ids, choices,
regions, partial dates, fields and signatories.

A cell that names something (a region, a field, a person) is looked up in the Lookups of
the file (lookups.py), loaded before the rows are read.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.partial_dates import PartialDate

from .. import csv_format
from ..models import Agreement
from .report import Problem

NOT_EMPTY = ("title", "kind", "partner_region", "status")
_LIST_SEPARATOR = csv_format.LIST_SEPARATOR.strip()


# ---- Lists within a cell


def split_list(text):
    return [item.strip() for item in text.split(_LIST_SEPARATOR) if item.strip()]


def signatory_items(text):
    """Split "A (Title); B" into items, keeping a "; " inside a title's parentheses."""
    items = []
    for piece in text.split(_LIST_SEPARATOR):
        if items and items[-1].count("(") > items[-1].count(")"):
            items[-1] += _LIST_SEPARATOR + piece
        else:
            items.append(piece)
    return [item.strip() for item in items if item.strip()]


def name_candidates(item):
    """Yield (name, title) readings of "Name (Title)": the whole item first."""
    yield item, ""
    if item.endswith(")"):
        for match in re.finditer(r" ?\(", item):
            name = item[: match.start()].strip()
            if name:
                yield name, item[match.end() : -1].strip()


# ---- The cells


class CellError(Exception):
    pass


# What a cell names, for its messages; lazy, as only a cell in error needs them.
REGION, FIELD, PERSON = gettext_lazy("region"), gettext_lazy("field"), gettext_lazy("person")
KIND, STATUS = gettext_lazy("kind"), gettext_lazy("status")


def _one(found, text, what):
    if not found:
        raise CellError(_("Unknown %(what)s “%(text)s”.") % {"what": what, "text": text})
    if len(found) > 1:
        raise CellError(
            _("More than one %(what)s is called “%(text)s”; use the slug.")
            % {"what": what, "text": text}
        )
    return found[0]


def parse_id(text, lookups=None):
    """Return the id of the cell: the digits 0 to 9 only, as int() also reads "1_0" as
    10 and "１" as 1; within the range of the database's ids."""
    if not text:
        return None
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit() and digits):
        raise CellError(
            _("“%(text)s” is not an ID: an ID is a number from 1 up, written in the digits 0-9.")
            % {"text": text}
        )
    # Python converts at most 4,300 digits; 20 are already past every id.
    number = int(digits) if len(digits) <= 20 else 10**20
    try:
        Agreement._meta.pk.run_validators(number)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return number


def id_or_none(text):
    try:
        return parse_id(text)
    except CellError:
        return None


def _choice(codes, text, what):
    code = codes.get(text.casefold())
    if code is None:
        raise CellError(_("Unknown %(what)s “%(text)s”.") % {"what": what, "text": text})
    return code


def _parse_kind(text, lookups):
    return _choice(lookups.kinds, text, KIND)


def _parse_status(text, lookups):
    return _choice(lookups.statuses, text, STATUS)


def _parse_region(text, lookups):
    return _one(lookups.regions.get(text, []), text, REGION)


def _parse_home_region(text, lookups):
    if not text:
        return lookups.home
    region = _parse_region(text, lookups)
    if not region.is_home:
        raise CellError(
            _("“%(text)s” is not the home region; every agreement's home region is %(home)s.")
            % {"text": text, "home": lookups.home or "—"}
        )
    return region


def _parse_partner_region(text, lookups):
    region = _parse_region(text, lookups)
    if region.is_home:
        raise CellError(_("The home region cannot be its own partner."))
    if lookups.home is None:
        raise CellError(_("No region is marked as the home region yet; mark one first."))
    return region


def _parse_partial_date(text, lookups):
    if not text:
        return PartialDate(None)
    try:
        return PartialDate.parse(text)
    except ValueError:
        raise CellError(
            _("“%(text)s” is not a date; write 2011, 2024-06 or 2024-06-19.") % {"text": text}
        ) from None


def _parse_date(text, lookups):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(
            _("“%(text)s” is not a date; write it as 2024-06-19.") % {"text": text}
        ) from None


def _parse_fields(text, lookups):
    found = [_one(lookups.fields.get(name, []), name, FIELD) for name in split_list(text)]
    return list(dict.fromkeys(found))


def _parse_signatories(text, lookups):
    signatories = [_signatory(item, lookups) for item in signatory_items(text)]
    people = [person for person, _title in signatories]
    if len(set(people)) < len(people):
        raise CellError(_("A person is listed twice as a signatory."))
    return signatories


def _signatory(item, lookups):
    """Return _parse_signatory(item), or raise its CellError; each item once (the same
    people sign, with the same titles, on many rows)."""
    remembered = _remembered(lookups, "signatory")
    found = remembered.get(item)
    if found is None:
        try:
            found = _parse_signatory(item, lookups), None
        except CellError as error:
            found = None, str(error)
        _remember(remembered, item, found)
    if found[1] is not None:
        raise CellError(found[1])
    return found[0]


def _parse_signatory(item, lookups):
    for name, title in name_candidates(item):
        found = lookups.people.get(name, [])
        if found:
            return _one(found, name, PERSON), title
    raise CellError(_("Unknown person “%(text)s”.") % {"text": item})


def _parse_text(text, lookups):
    return text


PARSERS = {
    "id": parse_id,
    "title": _parse_text,
    "kind": _parse_kind,
    "home_region": _parse_home_region,
    "partner_region": _parse_partner_region,
    "partner_country": _parse_text,
    "signed_on": _parse_partial_date,
    "status": _parse_status,
    "valid_until": _parse_date,
    "venue": _parse_text,
    "fields": _parse_fields,
    "signatories": _parse_signatories,
    "source_url": _parse_text,
}


def parse_row(line, row, lookups):
    """Return ({key: value}, problems) of one row's cells."""
    values, problems = {}, []
    for key, text in row.items():
        if key in NOT_EMPTY and not text:
            problems.append(Problem(line, key, _("This cell cannot be empty.")))
            continue
        if "\0" in text:
            message = _(
                "This cell holds a NUL character (a zero byte), which cannot be stored; remove it."
            )
            problems.append(Problem(line, key, message))
            continue
        value, error = _parsed(key, text, lookups)
        if error is None:
            values[key] = value
        else:
            problems.append(Problem(line, key, error))
    return values, problems


# Columns whose cells repeat from row to row, and whose values no row changes.
REPEATED = frozenset(
    {"kind", "status", "home_region", "partner_region", "signed_on", "valid_until", "fields"}
)
PARSED_LIMIT = 20_000  # cells remembered per column (or signatories, per signatory)


def _parsed(key, text, lookups):
    """Return (value, None) or (None, the error's message) of a cell; the cells of repeated
    columns once each (lookups.parsed)."""
    if key in REPEATED:
        remembered = _remembered(lookups, key)
        found = remembered.get(text)
        if found is not None:
            return found
    try:
        found = PARSERS[key](text, lookups), None
    except CellError as error:
        found = None, str(error)
    if key in REPEATED:
        _remember(remembered, text, found)
    return found


def _remembered(lookups, key):
    """Return {text: (value, error)} of the column's cells (or signatories) read so far."""
    remembered = lookups.parsed.get(key)
    if remembered is None:
        remembered = lookups.parsed[key] = {}
    return remembered


def _remember(remembered, text, found):
    if len(remembered) >= PARSED_LIMIT:
        remembered.clear()
    remembered[text] = found
