"""The header row of an agreements file, in any language or as the column keys, and the
rows under it as {column key: cell}.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import LANGUAGE_CODES

from .. import csv_format
from .report import ImportFileError, Problem

IGNORED_COLUMNS = ("level", "url")  # derived from the other columns


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


def header_votes(cells):
    """Return how many of the cells are a column's header in each language."""
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
class Table:
    language: str
    keys: list  # a column key, or None for a blank header cell, per position

    def __post_init__(self):
        # (index, key) of the columns read, and the positions of those without a header.
        self.read = [
            (index, key)
            for index, key in enumerate(self.keys)
            if key is not None and key not in IGNORED_COLUMNS
        ]
        self.unnamed = [index + 1 for index, key in enumerate(self.keys) if key is None]


def read_table(records):
    """Return the Table of the records' header row: the first that is not blank.

    The records after it are the rows (table_rows).
    """
    for _line, header in records:
        if any(cell.strip() for cell in header):
            break
    else:
        raise ImportFileError(_("The file is empty."))
    keys, language = _read_header(header)
    return Table(language, keys)


def table_rows(table, records):
    """Yield (line, {key: restored cell} or None, problems) of each record that is not blank."""
    for line, cells in records:
        if any(cell.strip() for cell in cells):
            yield line, *_row(table, line, cells)


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
        message = _(
            "The first row is not a header row: none of its cells names a column. "
            "The first row must name the columns, for example: %(columns)s."
        ) % {"columns": ", ".join(csv_format.KEYS)}
        raise ImportFileError(Problem(1, "", message))
    problems += _duplicate_columns(cells, keys)
    if problems:
        raise ImportFileError(*problems)
    return keys, _header_language(header_votes(cells))


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


def _row(table, line, cells):
    width = len(table.keys)
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        message = _("This row has %(count)s cells; the header row has %(expected)s.") % {
            "count": len(cells),
            "expected": width,
        }
        return None, [Problem(line, "", message)]
    problems = []
    for position in table.unnamed:
        if cells[position - 1].strip():
            message = _("Column %(position)s has no header, but this row has a value in it.")
            problems.append(Problem(line, "", message % {"position": position}))
    restore = csv_format.restore
    return {key: restore(cells[index].strip()) for index, key in table.read}, problems
