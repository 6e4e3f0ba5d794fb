"""Agreements as an Excel workbook: the CSV's rows and columns, in typed cells.

The rows come from the CSV's own query, stopped before the CSV's cell rules
(export_sql.values_query), CHUNK_SIZE at a time (export.fetch_rows); the columns are
csv_format's, with the partner country's name in the export's language next to its ISO code.
XlsxWriter in constant_memory mode writes each row out to a temporary file as soon as the next
one starts, so memory stays flat for any number of agreements (bench/export_agreements.py).

Cells: the id is a number; a date known to the day is a date cell (yyyy-mm-dd), a date known
only to the year or month is text ("2011", "2024-06") as in the CSV; everything else is text,
written with write_string, so that no cell is a formula, whatever its text begins with. The
header row is frozen and carries an autofilter.

The workbook is built into an anonymous temporary file (gone when closed), then sent with
FileResponse. XlsxWriter's own temporary files live in a temporary directory that is removed
as soon as the workbook is written, or has failed to be.
"""

import datetime
import tempfile
from functools import partial
from xml.sax.saxutils import escape

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import csv_format
from .export import ExportContext, fetch_rows
from .export_sql import values_query

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTRY_NAME = csv_format.Column("partner_country_name", _("Partner country name"))


def _columns():
    after_code = csv_format.KEYS.index("partner_country") + 1
    return (*csv_format.COLUMNS[:after_code], COUNTRY_NAME, *csv_format.COLUMNS[after_code:])


COLUMNS = _columns()
KEYS = tuple(column.key for column in COLUMNS)
# In characters of the default font; a Chinese or Korean character takes about two.
WIDTHS = {
    "id": 8,
    "title": 50,
    "kind": 26,
    "home_region": 20,
    "partner_region": 24,
    "partner_country": 9,
    "partner_country_name": 20,
    "level": 12,
    "signed_on": 12,
    "status": 12,
    "valid_until": 12,
    "venue": 30,
    "fields": 40,
    "signatories": 50,
    "source_url": 40,
    "url": 45,
}
DATE_FORMAT = "yyyy-mm-dd"
# Excel has no date before 1900, and counts 29 February 1900, which never was: dates from
# March 1900 on are the same day in Excel, LibreOffice and pandas.
FIRST_DATE = "1900-03-01"


class _Context(ExportContext):
    """The export's context, with labels as they are and the countries' names."""

    def __init__(self, *, language, request):
        super().__init__(language=language, request=request, columns=COLUMNS, text=str)
        with translation.override(language):
            self.countries = dict(countries)
            self.sheet_name = gettext("Agreements")


def _text(value):
    return value or ""


def _partial_date(text):
    """A date known to the day as a date; one known to the year or month as its text, and
    one before any date that spreadsheets share (FIRST_DATE) as its text too."""
    if len(text) == 10 and text >= FIRST_DATE:
        return datetime.date.fromisoformat(text)
    return text


def _label(labels):
    return lambda code: labels.get(code, code)  # an unknown code as it is, as in the CSV


def _plan(context):
    """Return, for each column, the index of its value in a row of values_query and the
    function from that value to the column's cell."""
    converters = {key: _text for key in KEYS} | {
        "id": int,
        "kind": _label(context.kinds),
        "partner_country_name": lambda code: context.countries.get(code, ""),
        "level": _label(context.levels),
        "signed_on": _partial_date,
        "status": _label(context.statuses),
        "valid_until": _partial_date,
        "url": lambda pk: f"{context.url_before}{pk}{context.url_after}",
    }
    sources = {key: csv_format.KEYS.index(key) for key in csv_format.KEYS}
    sources["partner_country_name"] = sources["partner_country"]
    return [(sources[key], converters[key]) for key in KEYS]


def _string(text):
    """Return the text as XlsxWriter must be given it to write it as it is.

    In constant_memory mode XlsxWriter (3.3) writes a string that begins with "<r>" and ends
    with "</r>" into the sheet unescaped, as a rich string of its own making: such a text goes
    in as one plain run of a rich string, escaped here, which it writes as given.
    """
    if text.startswith("<r>") and text.endswith("</r>"):
        return f'<r><t xml:space="preserve">{escape(text)}</t></r>'
    return text


class _Sheet:
    """The agreements' worksheet, written row after row."""

    def __init__(self, workbook, context):
        self.worksheet = workbook.add_worksheet(context.sheet_name)
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        header = workbook.add_format({"bold": True})
        for column, key in enumerate(KEYS):
            self.worksheet.set_column(column, column, WIDTHS[key])
            self.worksheet.write_string(0, column, context.headers[column], header)
        self.worksheet.freeze_panes(1, 0)
        self.rows = 1

    def add(self, cells):
        write, row = self.worksheet, self.rows
        for column, cell in enumerate(cells):
            if isinstance(cell, str):
                if cell:
                    write.write_string(row, column, _string(cell))
            elif isinstance(cell, datetime.date):
                write.write_datetime(row, column, cell, self.date)
            else:
                write.write_number(row, column, cell)
        self.rows += 1

    def finish(self):
        self.worksheet.autofilter(0, 0, self.rows - 1, len(KEYS) - 1)


def write_agreements_xlsx(queryset, *, language, request, file):
    """Write the workbook of the queryset's agreements to the open binary file.

    Runs one query (and one for the settings on PostgreSQL), like the CSV export.
    """
    context = _Context(language=language, request=request)
    plan = _plan(context)
    build_query = partial(values_query, queryset, language)
    with tempfile.TemporaryDirectory(prefix="agreements-xlsx-") as scratch:
        options = {"constant_memory": True, "tmpdir": scratch, "strings_to_formulas": False}
        workbook = xlsxwriter.Workbook(file, options)
        sheet = _Sheet(workbook, context)
        for row in fetch_rows(queryset, build_query):
            sheet.add([convert(row[index]) for index, convert in plan])
        sheet.finish()
        workbook.close()


def agreements_xlsx_response(queryset, *, language, request):
    """Return the workbook of the queryset's agreements as a download."""
    file = tempfile.TemporaryFile()
    try:
        write_agreements_xlsx(queryset, language=language, request=request, file=file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    filename = f"agreements-{language}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
