"""Reading the agreement workbook in tests, and the cells that the CSV's rows promise it."""

import datetime
import io
import zipfile

import openpyxl
from django.urls import reverse
from django.utils import translation
from openpyxl.utils.escape import unescape

from relations import csv_format, export_xlsx

from .helpers_export import body

NAME_COLUMN = export_xlsx.KEYS.index("partner_country_name")
DATE_KEYS = ("signed_on", "valid_until")


def xlsx_url(language="en", query=""):
    with translation.override(language):
        return reverse("relations:agreement_export_xlsx") + (f"?{query}" if query else "")


def workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(data):
    """Return the sheet's rows, header first, as Excel reads them: a date cell as a date,
    the `_xHHHH_` escapes of control characters decoded (openpyxl leaves them), an empty cell
    as None."""
    return [[_as_read(value) for value in row] for row in workbook(data).active.values]


def _as_read(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return unescape(value)
    return value


def without_country_names(table):
    return [row[:NAME_COLUMN] + row[NAME_COLUMN + 1 :] for row in table]


def cells_of_csv_rows(csv_rows):
    """Return the cells the workbook must hold for the CSV's data rows, by the CSV's columns:
    the id a number, a date known to the day a date, any other text as it was before the
    CSV's formula escape, an empty cell None."""
    return [
        [_cell_of(key, text) for key, text in zip(csv_format.KEYS, row, strict=True)]
        for row in csv_rows
    ]


def _cell_of(key, text):
    if not text:
        return None
    if key == "id":
        return int(text)
    if key in DATE_KEYS and len(text) == 10:
        return datetime.date.fromisoformat(text)
    return csv_format.restore(text)


def sheet_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def xlsx_body(response):
    assert response.status_code == 200
    return body(response)
