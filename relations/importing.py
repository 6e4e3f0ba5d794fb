"""Agreements from a CSV file: every row is checked before anything is written.

The file is the export's (csv_format.COLUMNS), with the header in English, Korean or
Chinese or as the column keys. A row with an `id` updates that agreement, or creates it
with that id when there is none (so a file can be loaded into an empty database); a row
without one creates an agreement. Columns missing from the file are left as they are.

`level` and `url` are derived and ignored. A cell that equals what the export would
write now (with its English fallback) changes nothing, so re-importing an export in any
language is a no-op and does not copy English text into a Korean field.
"""

import codecs
import csv
import datetime
import functools
import io
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname

from core.batching import batched
from core.i18n import LANGUAGE_CODES, fallback_order, translated
from core.partial_dates import PartialDate

from . import csv_format
from .import_checks import plan_problems
from .import_report import Change, ImportFileError, ImportReport, PlannedRow, Problem
from .models import Agreement, CooperationField, Participation, Partnership, Person, Region, Side
from .services import partnership_refresh

MAX_BYTES = 10 * 1024 * 1024
BATCH_SIZE = 500
# Ids or names per lookup query: well under the databases' limits on query parameters.
LOOKUP_BATCH = 1000
IGNORED_COLUMNS = ("level", "url")  # derived from the other columns
REQUIRED_TO_CREATE = ("title", "kind", "partner_region")
TRANSLATED_COLUMNS = ("title", "venue")
LEGACY_ENCODINGS = {
    "cp949": gettext_lazy("CP949 (Korean Windows)"),
    "gb18030": gettext_lazy("GB18030 (Chinese Windows)"),
}
_SIGNATORY = Participation.Role.SIGNATORY

logger = logging.getLogger(__name__)


# ---- Reading the file


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        try:
            size = os.fstat(file.fileno()).st_size
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None
    return size


def too_large_message():
    return _(
        "The file is larger than %(limit)s, the most that can be imported at once. "
        "Split it into smaller files."
    ) % {"limit": filesizeformat(MAX_BYTES)}


def read_limited(file):
    """Return the file's bytes; refuse a file over MAX_BYTES without reading all of it."""
    size = _size_of(file)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(too_large_message())
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(too_large_message())
    return data


def _save_as_utf8():
    return _("Save it as “CSV UTF-8” (in Excel: File › Save As) and import it again.")


def decode(data):
    """Return the text of UTF-8 bytes, with or without a BOM; name any other encoding.

    A NUL in UTF-8 text is left to the rows, which say on which line it is.
    """
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This is a spreadsheet workbook (such as .xlsx), not a CSV file.")
            + " "
            + _save_as_utf8()
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        raise ImportFileError(_("This file is UTF-16 text, not UTF-8.") + " " + _save_as_utf8())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\0" in data:
        raise ImportFileError(_("This is a binary file, not a CSV file.") + " " + _save_as_utf8())
    encoding = _legacy_encoding(data)
    if encoding is None:
        raise ImportFileError(_("This file is not UTF-8 text.") + " " + _save_as_utf8())
    raise ImportFileError(
        _("This file looks like %(encoding)s text, not UTF-8.")
        % {"encoding": LEGACY_ENCODINGS[encoding]}
        + " "
        + _save_as_utf8()
    )


def _utf16_without_bom(data):
    """Return True for UTF-16 text without a BOM, which writes each ASCII character as a
    NUL and a byte that is not: mostly NULs in every other byte, few in the others."""
    for parity, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        high_bytes, low_bytes = data[parity::2], data[1 - parity :: 2]
        mostly_nul = high_bytes.count(0) * 2 > len(high_bytes)
        if mostly_nul and low_bytes.count(0) * 2 < len(low_bytes):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def _legacy_encoding(data):
    """Return "cp949" or "gb18030" when the bytes read as Korean or Chinese text, else None.

    Each decodes most of the other's text into plausible characters, so the header row
    decides first (it is in the export's language), then the share of Hangul.
    """
    if all(len(run) == 1 for run in re.findall(rb"[\x80-\xff]+", data)):
        return None  # lone high bytes: a single-byte code page such as Windows-1252
    texts = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            texts[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    first_lines = {encoding: text.split("\n", 1)[0] for encoding, text in texts.items()}
    for encoding, language in (("cp949", "ko"), ("gb18030", "zh-hans")):
        if encoding in texts:
            # Only headers that are not ASCII tell Korean and Chinese apart ("ID" is both).
            cells = [cell for cell in first_lines[encoding].split(",") if not cell.isascii()]
            if language in _header_votes(cells):
                return encoding
    # Chinese bytes read as CP949 give Hangul mixed with many Hanja; Korean gives Hangul.
    if "cp949" in texts and _hangul_share(texts["cp949"]) >= 0.9:
        return "cp949"
    return "gb18030" if "gb18030" in texts else next(iter(texts), None)


def _hangul_share(text):
    hangul = sum(1 for char in text if "\uac00" <= char <= "\ud7a3")
    hanzi = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    return hangul / (hangul + hanzi) if hangul + hanzi else 0


def _records(text, delimiter):
    """Yield (line where the record starts, cells) of each CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            Problem(line, "", _("This line is not valid CSV: %(error)s.") % {"error": error})
        ) from error


def _delimiter(text):
    """Return ",", or ";" or a tab when the first line is separated by those instead."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for delimiter in (";", "\t"):
            if delimiter in first:
                return delimiter
    return ","


# ---- The header


def _header_lookup():
    """Return {casefolded header or key: {language or None: key}}."""
    lookup = defaultdict(dict)
    for key in csv_format.KEYS:
        lookup[key.casefold()][None] = key
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for column in csv_format.COLUMNS:
                lookup[str(column.header).strip().casefold()][language] = column.key
    return lookup


def _header_votes(cells):
    lookup = _header_lookup()
    votes = Counter()
    for cell in cells:
        votes.update(language for language in lookup.get(cell.strip().casefold(), {}) if language)
    return votes


def _header_language(votes):
    """Return the language most headers are written in; English on a tie or with keys only."""
    if not votes:
        return settings.LANGUAGE_CODE
    best = max(votes.values())
    return next(code for code in LANGUAGE_CODES if votes.get(code) == best)


@dataclass
class _Table:
    language: str
    keys: list  # a column key, or None for a blank header cell, per position
    rows: list  # (line, {key: restored cell})
    problems: list


def _read_header(cells):
    """Return (keys per position, language); raise ImportFileError on a bad header row."""
    lookup = _header_lookup()
    keys, problems = [], []
    for position, cell in enumerate(cells, start=1):
        matches = lookup.get(cell.strip().casefold())
        if not cell.strip():
            keys.append(None)
        elif matches:
            keys.append(next(iter(matches.values())))
        else:
            keys.append(None)
            problems.append(_unknown_column(cell, position))
    if not any(keys):
        raise ImportFileError(
            Problem(
                1,
                "",
                _(
                    "The first row is not a header row: none of its cells names a column. "
                    "The first row must name the columns, for example: %(columns)s."
                )
                % {"columns": ", ".join(csv_format.KEYS)},
            )
        )
    problems += _duplicate_columns(cells, keys)
    if problems:
        raise ImportFileError(*problems)
    return keys, _header_language(_header_votes(cells))


def _unknown_column(cell, position):
    return Problem(
        1,
        "",
        _("Unknown column “%(name)s” (column %(position)s). The columns are: %(columns)s.")
        % {"name": cell.strip(), "position": position, "columns": ", ".join(csv_format.KEYS)},
    )


def _duplicate_columns(cells, keys):
    positions = defaultdict(list)
    for position, key in enumerate(keys, start=1):
        if key:
            positions[key].append(position)
    return [
        Problem(
            1,
            key,
            _("The column “%(name)s” appears more than once (columns %(positions)s).")
            % {"name": cells[found[0] - 1].strip(), "positions": ", ".join(map(str, found))},
        )
        for key, found in positions.items()
        if len(found) > 1
    ]


def _read_table(file):
    text = decode(read_limited(file))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    records = _records(text, _delimiter(text))
    for _line, header in records:
        if any(cell.strip() for cell in header):
            break
    else:
        raise ImportFileError(_("The file is empty."))
    keys, language = _read_header(header)
    table = _Table(language, keys, [], [])
    for line, cells in records:
        if any(cell.strip() for cell in cells):
            _add_row(table, line, cells)
    return table


def _add_row(table, line, cells):
    width = len(table.keys)
    extra = cells[width:]
    if len(cells) < width or any(cell.strip() for cell in extra):
        table.problems.append(
            Problem(
                line,
                "",
                _("This row has %(count)s cells; the header row has %(expected)s.")
                % {"count": len(cells), "expected": width},
            )
        )
        return
    row = {}
    for position, (key, cell) in enumerate(zip(table.keys, cells, strict=False), start=1):
        if key is None and cell.strip():
            table.problems.append(
                Problem(
                    line,
                    "",
                    _("Column %(position)s has no header, but this row has a value in it.")
                    % {"position": position},
                )
            )
        elif key is not None and key not in IGNORED_COLUMNS:
            row[key] = csv_format.restore(cell.strip())
    table.rows.append((line, row))


# ---- What the rows refer to, looked up in a few queries


def _split_list(text):
    return [item.strip() for item in text.split(csv_format.LIST_SEPARATOR.strip()) if item.strip()]


def _signatory_items(text):
    """Split "A (Title); B" into items, keeping a "; " inside a title's parentheses."""
    items = []
    for piece in text.split(csv_format.LIST_SEPARATOR.strip()):
        if items and items[-1].count("(") > items[-1].count(")"):
            items[-1] += csv_format.LIST_SEPARATOR.strip() + piece
        else:
            items.append(piece)
    return [item.strip() for item in items if item.strip()]


def _name_candidates(item):
    """Yield (name, title) readings of "Name (Title)": the whole item first."""
    yield item, ""
    if item.endswith(")"):
        for match in re.finditer(r" ?\(", item):
            name = item[: match.start()].strip()
            if name:
                yield name, item[match.end() : -1].strip()


def _by_text(objects, field_name, *, slug=False):
    """Return {text: [objects]} over the field in every language (and the slug)."""
    found = defaultdict(list)
    for obj in objects:
        texts = {getattr(obj, build_localized_fieldname(field_name, c)) for c in LANGUAGE_CODES}
        if slug:
            texts.add(obj.slug)
        for text in texts - {None, ""}:
            found[text].append(obj)
    return found


def _names_query(field_name, names):
    query = Q()
    for code in LANGUAGE_CODES:
        query |= Q(**{f"{build_localized_fieldname(field_name, code)}__in": names})
    return query


def _choices_lookup(choices):
    """Return {casefolded code or label in any language: code}."""
    lookup = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for code, label in choices:
                lookup[str(label).casefold()] = code
    lookup.update({code.casefold(): code for code, _label in choices})
    return lookup


class _Lookups:
    """Everything the rows name, loaded in a number of queries that does not grow per row."""

    def __init__(self, rows):
        self.home = Region.objects.home().first()
        self.regions = _by_text(Region.objects.all(), "name", slug=True)
        self.fields = _by_text(CooperationField.objects.all(), "name", slug=True)
        self.region_by_id = _by_id(self.regions)
        self.field_by_id = _by_id(self.fields)
        self.people = self._people(rows)
        self.partnership_by_id = Partnership.objects.in_bulk()
        self.partnerships = {
            p.partner_region_id: p
            for p in self.partnership_by_id.values()
            if self.home is not None and p.home_region_id == self.home.pk
        }
        self.new_partnerships = {}  # partner region id: (unsaved Partnership, [rows])
        self.agreements = self._agreements(rows)
        self.fields_of, self.signatories_of = self._links(self.agreements)
        self.person_by_id = self._all_people()
        self.sides = self._last_sides()
        self.kinds = _choices_lookup(Agreement.Kind.choices)
        self.statuses = _choices_lookup(Agreement.Status.choices)

    @staticmethod
    def _people(rows):
        names = {
            name
            for _line, row in rows
            for item in _signatory_items(row.get("signatories", ""))
            for name, _title in _name_candidates(item)
            if "\0" not in name  # PostgreSQL refuses it even in a query; the row reports it
        }
        people = []
        for chunk in batched(names, 300):
            people += Person.objects.filter(_names_query("name", chunk))
        return _by_text(people, "name")

    @staticmethod
    def _agreements(rows):
        ids = {_id_or_none(row.get("id", "")) for _line, row in rows} - {None}
        found = {}
        for chunk in batched(ids, LOOKUP_BATCH):
            found.update(Agreement.objects.in_bulk(chunk))
        return found

    @staticmethod
    def _links(agreements):
        """Return the field ids and the signatories of each agreement, read as values."""
        fields_of, signatories_of = defaultdict(set), defaultdict(list)
        titles = [build_localized_fieldname("title", code) for code in LANGUAGE_CODES]
        for chunk in batched(agreements, LOOKUP_BATCH):
            links = Agreement.fields.through.objects.filter(agreement_id__in=chunk)
            for agreement_id, field_id in links.values_list("agreement_id", "cooperationfield_id"):
                fields_of[agreement_id].add(field_id)
            signatories = Participation.objects.filter(agreement_id__in=chunk, role=_SIGNATORY)
            for agreement_id, person_id, side, *texts in signatories.order_by(
                "agreement_id", "order", "pk"
            ).values_list("agreement_id", "person_id", "side", *titles):
                signed = _Signed(person_id, side, dict(zip(titles, texts, strict=True)))
                signatories_of[agreement_id].append(signed)
        return fields_of, signatories_of

    def _all_people(self):
        """Return {id: person} of the people the file names and of today's signatories."""
        people = {p.pk: p for found in self.people.values() for p in found}
        missing = {s.person_id for found in self.signatories_of.values() for s in found}
        for chunk in batched(missing - set(people), LOOKUP_BATCH):
            people.update(Person.objects.in_bulk(chunk))
        return people

    def side_for(self, person, position):
        """Place a new signatory: on the side they last signed for, else the first listed
        on the home side and the others on the partner side."""
        return self.sides.get(person.pk) or (Side.HOME if position == 0 else Side.PARTNER)

    def _last_sides(self):
        """Return {person id: the side they last signed for}, to place new signatories."""
        people = {p.pk for found in self.people.values() for p in found}
        sides = {}
        for chunk in batched(people, LOOKUP_BATCH):
            participations = Participation.objects.filter(person__in=chunk, role=_SIGNATORY)
            sides.update(participations.order_by("pk").values_list("person_id", "side"))
        return sides


@dataclass(frozen=True)
class _Signed:
    """A signatory of an agreement as it is stored: whom, for which side, what title."""

    person_id: int
    side: str
    titles: dict  # {title_en: ..., title_ko: ..., title_zh_hans: ...}

    def title(self, language):
        for code in fallback_order(language):
            text = self.titles[build_localized_fieldname("title", code)]
            if text:
                return text
        return ""


def _by_id(by_text):
    return {obj.pk: obj for found in by_text.values() for obj in found}


def _id_or_none(text):
    try:
        return _parse_id(text)
    except _CellError:
        return None


@functools.cache
def _defaults(model):
    return tuple((field.attname, field.get_default()) for field in model._meta.concrete_fields)


def _new(model, **values):
    """Return a new instance from values by attname, built with positional arguments.

    That is the constructor's fast path: given keywords, modeltranslation rewrites each
    one and switches the active language to find each translation field's default, which
    took a quarter of the time of a large import.
    """
    return model(*(values.get(name, default) for name, default in _defaults(model)))


# ---- Reading one row


class _CellError(Exception):
    pass


# What a cell names, for its messages; lazy, as only a cell in error needs them.
REGION, FIELD, PERSON = gettext_lazy("region"), gettext_lazy("field"), gettext_lazy("person")


def _one(found, text, what):
    if not found:
        raise _CellError(_("Unknown %(what)s “%(text)s”.") % {"what": what, "text": text})
    if len(found) > 1:
        raise _CellError(
            _("More than one %(what)s is called “%(text)s”; use the slug.")
            % {"what": what, "text": text}
        )
    return found[0]


def _parse_id(text, lookups=None):
    """Return the id of the cell: the digits 0 to 9 only, as int() also reads "1_0" as
    10 and "１" as 1; within the range of the database's ids."""
    if not text:
        return None
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit() and digits):
        raise _CellError(
            _("“%(text)s” is not an ID: an ID is a number from 1 up, written in the digits 0-9.")
            % {"text": text}
        )
    # Python converts at most 4,300 digits; 20 are already past every id.
    number = int(digits) if len(digits) <= 20 else 10**20
    try:
        Agreement._meta.pk.run_validators(number)
    except ValidationError as error:
        raise _CellError(" ".join(error.messages)) from None
    return number


def _parse_choice(lookup, what):
    def parse(text, lookups):
        code = getattr(lookups, lookup).get(text.casefold())
        if code is None:
            raise _CellError(_("Unknown %(what)s “%(text)s”.") % {"what": what, "text": text})
        return code

    return parse


def _parse_region(text, lookups):
    return _one(lookups.regions.get(text, []), text, REGION)


def _parse_home_region(text, lookups):
    if not text:
        return lookups.home
    region = _parse_region(text, lookups)
    if not region.is_home:
        raise _CellError(
            _("“%(text)s” is not the home region; every agreement's home region is %(home)s.")
            % {"text": text, "home": lookups.home or "—"}
        )
    return region


def _parse_partner_region(text, lookups):
    region = _parse_region(text, lookups)
    if region.is_home:
        raise _CellError(_("The home region cannot be its own partner."))
    if lookups.home is None:
        raise _CellError(_("No region is marked as the home region yet; mark one first."))
    return region


def _parse_signed_on(text, lookups):
    if not text:
        return PartialDate(None)
    try:
        return PartialDate.parse(text)
    except ValueError:
        raise _CellError(
            _("“%(text)s” is not a date; write 2011, 2024-06 or 2024-06-19.") % {"text": text}
        ) from None


def _parse_date(text, lookups):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _CellError(
            _("“%(text)s” is not a date; write it as 2024-06-19.") % {"text": text}
        ) from None


def _parse_fields(text, lookups):
    found = [_one(lookups.fields.get(name, []), name, FIELD) for name in _split_list(text)]
    return list(dict.fromkeys(found))


def _parse_signatories(text, lookups):
    signatories = []
    for item in _signatory_items(text):
        signatories.append(_parse_signatory(item, lookups))
    people = [person for person, _title in signatories]
    if len(set(people)) < len(people):
        raise _CellError(_("A person is listed twice as a signatory."))
    return signatories


def _parse_signatory(item, lookups):
    for name, title in _name_candidates(item):
        found = lookups.people.get(name, [])
        if found:
            return _one(found, name, PERSON), title
    raise _CellError(_("Unknown person “%(text)s”.") % {"text": item})


def _parse_text(text, lookups):
    return text


PARSERS = {
    "id": _parse_id,
    "title": _parse_text,
    "kind": _parse_choice("kinds", gettext_lazy("kind")),
    "home_region": _parse_home_region,
    "partner_region": _parse_partner_region,
    "partner_country": _parse_text,
    "signed_on": _parse_signed_on,
    "status": _parse_choice("statuses", gettext_lazy("status")),
    "valid_until": _parse_date,
    "venue": _parse_text,
    "fields": _parse_fields,
    "signatories": _parse_signatories,
    "source_url": _parse_text,
}
NOT_EMPTY = ("title", "kind", "partner_region", "status")


def _parse_row(line, row, lookups):
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
        try:
            values[key] = PARSERS[key](text, lookups)
        except _CellError as error:
            problems.append(Problem(line, key, str(error)))
    return values, problems


# ---- Planning one agreement's changes


@dataclass
class _Plan:
    line: int
    agreement: Agreement
    is_new: bool
    changes: list = field(default_factory=list)
    changed_fields: set = field(default_factory=set)
    cooperation_fields: list | None = None  # new fields, when they change
    signatories: list | None = None  # new [(person, title)], when they change
    participations: list = field(default_factory=list)  # unsaved, for those signatories
    old_partnership_id: int | None = None
    partnership: Partnership | None = None  # the new one, when it changes
    problems: list = field(default_factory=list)

    @property
    def has_changes(self):
        return self.is_new or bool(
            self.changed_fields
            or self.cooperation_fields is not None
            or self.signatories is not None
        )


class _Planner:
    """Turn parsed rows into plans: unsaved agreements with their changes applied."""

    def __init__(self, lookups, language):
        self.lookups, self.language = lookups, language
        self.notes = []
        with translation.override(language):
            self.labels = {
                key: {code: capfirst(str(label)) for code, label in choices}
                for key, choices in (
                    ("kind", Agreement.Kind.choices),
                    ("status", Agreement.Status.choices),
                )
            }

    def display(self, key, value):
        """Return how the export writes the value, in the file's language."""
        if value is None:
            return ""
        if key in self.labels:
            return self.labels[key].get(value, value)
        if key in ("home_region", "partner_region"):
            return self.text(value, "name")
        if key in ("signed_on", "valid_until"):
            return value.isoformat()
        if key == "fields":
            return csv_format.LIST_SEPARATOR.join(sorted(self.text(f, "name") for f in value))
        if key == "signatories":
            return csv_format.LIST_SEPARATOR.join(
                f"{self.text(p, 'name')} ({title})" if title else self.text(p, "name")
                for p, title in value
            )
        return str(value)

    def text(self, obj, field_name):
        return translated(obj, field_name, self.language).text

    def plan(self, line, values, failed):
        """Return the plan of one row; `failed` names the columns that could not be read."""
        existing = self.lookups.agreements.get(values.get("id"))
        plan = _Plan(line, existing or _new(Agreement, id=values.get("id")), existing is None)
        if existing is not None:
            plan.old_partnership_id = existing.partnership_id
        else:
            plan.problems += [
                Problem(line, key, _("A new agreement needs this column."))
                for key in REQUIRED_TO_CREATE
                if key not in values and key not in failed
            ]
        for key in ("partner_region", *(k for k in values if k != "partner_region")):
            if key in values:
                getattr(self, f"_apply_{key}", self._apply_plain)(plan, key, values[key])
        if "partner_region" not in failed:
            self._check_country(plan, values)
        return plan

    def _change(self, plan, key, old, new, *fields):
        old_text, new_text = self.display(key, old), self.display(key, new)
        shown = bool(new_text) if plan.is_new else old_text != new_text
        if shown:
            plan.changes.append(Change(key, "" if plan.is_new else old_text, new_text))
        plan.changed_fields.update(fields)

    def _apply_plain(self, plan, key, value):
        if key in ("id", "home_region", "partner_country"):
            return
        old = None if plan.is_new else getattr(plan.agreement, key)
        if plan.is_new or old != value:
            setattr(plan.agreement, key, value)
            self._change(plan, key, old, value, key)

    def _apply_translated(self, plan, key, value):
        old = "" if plan.is_new else self.text(plan.agreement, key)
        if plan.is_new or old != value:
            name = build_localized_fieldname(key, self.language)
            setattr(plan.agreement, name, value)
            fields = {name}
            english = build_localized_fieldname(key, settings.LANGUAGE_CODE)
            if plan.is_new and key == "title" and not getattr(plan.agreement, english):
                setattr(plan.agreement, english, value)
                fields.add(english)
                self._note_english_title()
            self._change(plan, key, old, value, *fields)

    _apply_title = _apply_translated
    _apply_venue = _apply_translated

    def _note_english_title(self):
        note = _(
            "New agreements get the title of the file as their English title too, as every "
            "agreement needs one; translate it in the admin."
        )
        if note not in self.notes:
            self.notes.append(note)

    def _apply_signed_on(self, plan, key, value):
        old = None if plan.is_new else plan.agreement.signed
        if plan.is_new or old.isoformat() != value.isoformat():
            plan.agreement.signed_on = value.date
            if value.date is not None:
                plan.agreement.signed_on_precision = value.precision
            self._change(plan, key, old, value, "signed_on", "signed_on_precision")

    def _apply_partner_region(self, plan, key, region):
        old = None if plan.is_new else self._partner_of(plan.agreement.partnership_id)
        if not plan.is_new and old.pk == region.pk:
            return
        partnership = self.lookups.partnerships.get(region.pk) or self._new_partnership(
            plan, region
        )
        if partnership is not None:
            plan.partnership = plan.agreement.partnership = partnership
            self._change(plan, key, old, region, "partnership")

    def _partner_of(self, partnership_id):
        partnership = self.lookups.partnership_by_id[partnership_id]
        return self.lookups.region_by_id[partnership.partner_region_id]

    def _new_partnership(self, plan, region):
        lookups = self.lookups
        if region.pk not in lookups.new_partnerships:
            partnership = Partnership(
                home_region=lookups.home, partner_region=region, slug=region.slug
            )
            try:
                partnership.full_clean()
            except ValidationError as error:
                message = "; ".join(error.messages)
                plan.problems.append(Problem(plan.line, "partner_region", message))
                return None
            lookups.new_partnerships[region.pk] = (partnership, [])
        partnership, lines = lookups.new_partnerships[region.pk]
        lines.append(plan.line)
        return partnership

    def _check_country(self, plan, values):
        country = values.get("partner_country", "").upper()
        if not country or (plan.partnership is None and plan.is_new):
            return
        partnership = (
            plan.partnership or self.lookups.partnership_by_id[plan.agreement.partnership_id]
        )
        region = self.lookups.region_by_id[partnership.partner_region_id]
        if country != region.country.code:
            plan.problems.append(
                Problem(
                    plan.line,
                    "partner_country",
                    _("%(region)s is in %(country)s, not in %(given)s.")
                    % {
                        "region": self.text(region, "name"),
                        "country": region.country.code,
                        "given": country,
                    },
                )
            )

    def _apply_fields(self, plan, key, value):
        field_by_id = self.lookups.field_by_id
        old = (
            []
            if plan.is_new
            else [field_by_id[pk] for pk in self.lookups.fields_of[plan.agreement.pk]]
        )
        if plan.is_new or {f.pk for f in old} != {f.pk for f in value}:
            plan.cooperation_fields = value
            self._change(plan, key, old, value)

    def _apply_signatories(self, plan, key, value):
        old = [] if plan.is_new else self._current_signatories(plan.agreement)
        current = [(person.pk, title) for person, title in old]
        if plan.is_new or current != [(person.pk, title) for person, title in value]:
            plan.signatories = value
            plan.participations = self._participations(plan, value)
            self._change(plan, key, old, value)

    def _participations(self, plan, signatories):
        """Return the unsaved signatories of the plan, checked before anything is written.

        A person who signed before keeps their side and their title in the other languages.
        """
        lookups, language = self.lookups, self.language
        before = {s.person_id: s for s in lookups.signatories_of.get(plan.agreement.pk, [])}
        participations = []
        for order, (person, title) in enumerate(signatories):
            signed = before.get(person.pk)
            values = {
                "person_id": person.pk,
                "role": _SIGNATORY,
                "order": order,
                "side": signed.side if signed else lookups.side_for(person, order),
                **(signed.titles if signed else {}),
            }
            if signed is None or signed.title(language) != title:
                values[build_localized_fieldname("title", language)] = title
            participation = _new(Participation, **values)
            participation.person = person  # for the messages, without a query
            participations.append(participation)
        return participations

    def _current_signatories(self, agreement):
        return [
            (self.lookups.person_by_id[signed.person_id], signed.title(self.language))
            for signed in self.lookups.signatories_of[agreement.pk]
        ]


# ---- Writing


def _write(plans, lookups, user):
    """Write every plan in one transaction, in batches, as one revision of the history."""
    with (
        transaction.atomic(),
        translation.override(settings.LANGUAGE_CODE),
        reversion.create_revision(),
    ):
        reversion.set_comment(_("CSV import"))
        if user is not None:
            reversion.set_user(user)
        new_partnerships = [
            partnership for partnership, _lines in lookups.new_partnerships.values()
        ]
        Partnership.objects.bulk_create(new_partnerships)
        for plan in plans:
            if plan.partnership is not None:
                plan.agreement.partnership_id = plan.partnership.pk
        _write_agreements(plans)
        _write_fields([p for p in plans if p.cooperation_fields is not None])
        _write_signatories([p for p in plans if p.signatories is not None])
        touched = {p.agreement.partnership_id for p in plans} | {
            p.old_partnership_id for p in plans
        }
        for chunk in batched(touched - {None}, BATCH_SIZE):
            partnership_refresh(partnership_ids=chunk)
        _add_to_revision(plans, new_partnerships)


def _add_to_revision(plans, new_partnerships):
    """Record the written rows: bulk writes send no signals for reversion to catch."""
    for partnership in new_partnerships:
        reversion.add_to_revision(partnership)
    for chunk in batched([p.agreement.pk for p in plans], BATCH_SIZE):
        agreements = Agreement.objects.filter(pk__in=chunk).prefetch_related(
            "participations__person", "fields"
        )
        for agreement in agreements:
            reversion.add_to_revision(agreement)


def _write_agreements(plans):
    """Create and update the agreements; those with an id of their own go in first.

    PostgreSQL's sequence does not see explicit ids, so it is reset before the agreements
    that take the next id go in.
    """
    with_id = [p.agreement for p in plans if p.is_new and p.agreement.pk is not None]
    without_id = [p.agreement for p in plans if p.is_new and p.agreement.pk is None]
    if with_id:
        Agreement.objects.bulk_create(with_id, batch_size=BATCH_SIZE)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Agreement]):
                cursor.execute(sql)
    Agreement.objects.bulk_create(without_id, batch_size=BATCH_SIZE)
    updated = [p for p in plans if not p.is_new and p.changed_fields]
    fields = set().union(*(p.changed_fields for p in updated))
    if updated:
        Agreement.objects.bulk_update(
            [p.agreement for p in updated], sorted(fields), batch_size=BATCH_SIZE
        )


def _write_fields(plans):
    through = Agreement.fields.through
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        through.objects.filter(agreement_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            _new(through, agreement_id=plan.agreement.pk, cooperationfield_id=cooperation_field.pk)
            for plan in plans
            for cooperation_field in plan.cooperation_fields
        ],
        batch_size=BATCH_SIZE,
    )


def _write_signatories(plans):
    """Replace the signatories of each plan; other participants are left as they are."""
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        Participation.objects.filter(agreement_id__in=chunk, role=_SIGNATORY).delete()
    for plan in plans:
        for participation in plan.participations:
            participation.agreement_id = plan.agreement.pk
    Participation.objects.bulk_create(
        [participation for plan in plans for participation in plan.participations],
        batch_size=BATCH_SIZE,
    )


# ---- The import


def agreement_import(
    *,
    file: BinaryIO,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    user=None,
) -> ImportReport:
    """Check every row of the CSV file, then write them all, or nothing if any is invalid.

    `file` is a binary file object. `progress(done, total)` is called as rows are checked.
    `user`, when known, is recorded as the author of the import's revision.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = _read_table(file)
    except ImportFileError as error:
        report.errors += error.problems
        return report
    report.language = table.language
    report.errors += table.problems
    if not table.rows and not report.errors:
        report.notes.append(_("The file has a header row but no agreements: nothing to import."))
        return report
    lookups = _Lookups(table.rows)
    plans = _plan_rows(table, lookups, report, progress)
    if report.errors or dry_run:
        return report
    _write_reporting_failure(plans, lookups, user, report)
    return report


def _write_reporting_failure(plans, lookups, user, report):
    """Write the plans; should the database still refuse them, report it, not raise.

    The checks leave nothing for the database to refuse but a change made by someone else
    since they ran, such as an agreement created under the same id.
    """
    try:
        _write(plans, lookups, user)
    except DatabaseError as error:
        logger.warning("The CSV import was refused by the database: %s", error)
        report.errors.append(
            Problem(
                None,
                "",
                _(
                    "The database refused the import, so nothing was written: %(error)s. "
                    "Upload the file again to check it against the data as it is now."
                )
                % {"error": " ".join(str(error).split()).rstrip(".")},
            )
        )
    else:
        report.written = True


def _plan_rows(table, lookups, report, progress):
    planner = _Planner(lookups, table.language)
    plans, first_line_of_id = [], {}
    for done, (line, row) in enumerate(table.rows, start=1):
        values, problems = _parse_row(line, row, lookups)
        failed = {problem.column for problem in problems}
        problems += _duplicate_id(line, values.get("id"), first_line_of_id)
        plan = planner.plan(line, values, failed)
        problems += _checks_of(plan, values, failed)
        if problems:
            report.errors += problems
        else:
            _count(plan, report, plans)
        if progress is not None:
            progress(done, len(table.rows))
    report.notes += planner.notes + _partnership_notes(lookups)
    report.errors.sort(key=lambda problem: (problem.row or 0, _column_order(problem.column)))
    return plans


def _checks_of(plan, values, failed):
    """Return the problems of planning and checking a row, except those of a column whose
    cell could not be read."""
    unread = failed | {problem.column for problem in plan.problems}
    checked = plan_problems(plan) if plan.has_changes else []
    problems = plan.problems + [problem for problem in checked if problem.column not in unread]
    if "id" in failed:
        # An update or a new agreement: what a new one would need is not known.
        problems = [problem for problem in problems if problem.column in values]
    return problems


def _count(plan, report, plans):
    if not plan.has_changes:
        report.unchanged += 1
        return
    plans.append(plan)
    if plan.is_new:
        report.created += 1
    else:
        report.updated += 1
    report.planned.append(
        PlannedRow(
            plan.line,
            "create" if plan.is_new else "update",
            plan.agreement.pk,
            translated(plan.agreement, "title", report.language).text,
            plan.changes,
        )
    )


def _column_order(key):
    return csv_format.KEYS.index(key) if key in csv_format.KEYS else -1


def _duplicate_id(line, agreement_id, first_line_of_id):
    if agreement_id is None:
        return []
    first = first_line_of_id.setdefault(agreement_id, line)
    if first == line:
        return []
    return [
        Problem(
            line,
            "id",
            _("The ID %(id)s is also on row %(first)s; an agreement can be listed only once.")
            % {"id": agreement_id, "first": first},
        )
    ]


def _partnership_notes(lookups):
    return [
        _("A new partnership %(partnership)s is created for row(s) %(rows)s.")
        % {"partnership": partnership, "rows": ", ".join(map(str, lines))}
        for partnership, lines in lookups.new_partnerships.values()
    ]
