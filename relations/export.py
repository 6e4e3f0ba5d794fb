"""Agreements as CSV, streamed: the public list's export and the admin action share it.

The file: a UTF-8 byte order mark (Excel reads the file as UTF-8 only with it), a header
row in the export's language, CRLF line ends and RFC 4180 quoting. Columns and the
formula-injection rule come from csv_format, which the import reads too. `fields` holds
the field names in the export's language sorted by code point, `signatories` the signatory
participations in their order ("Name (Title at the time)", or "Name"), both "; "-joined.

The database writes the lines (export_sql.py): one set-based query aggregates the fields
and signatories of the chosen agreements and joins them to their rows, applying the
language fallback, the formula escape and the CSV quoting to each cell, so Python only
passes lines on. Python's own writer, fed values a row at a time, spent more time than the
database on 100,000 rows (bench/export_agreements.py). The lines come through a
server-side cursor on PostgreSQL, CHUNK_SIZE at a time, so memory stays flat; the query
count is the same for any number of agreements.
"""

import csv
import io
from contextlib import nullcontext
from functools import partial

from django.db import connections, router, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from core.links import absolute_url

from . import csv_format
from .export_sql import export_query
from .models import Agreement, Level

BOM = "\ufeff"
CHUNK_SIZE = 5000  # lines per fetch from the database
LINES_PER_WRITE = 500  # rows per string handed to the response
PK_PLACEHOLDER = 2_147_483_647  # reversed once, then replaced by each agreement's id
# For the export's transaction only. With PostgreSQL's defaults, 100,000 agreements are sorted
# and aggregated on disk (4 MB of work_mem), a parallel plan has each worker aggregate every
# agreement again, and JIT compiling costs more than it saves.
POSTGRESQL_SETTINGS = {"work_mem": "64MB", "max_parallel_workers_per_gather": "0", "jit": "off"}


class ExportContext:
    """What every row of one export needs, in its language: headers, labels of choices, links.

    `text` is the format's rule for a text cell, applied to the labels: the CSV's formula
    escape; the workbook writes every text as a string cell and keeps it as it is.
    """

    def __init__(
        self, *, language, request, columns=csv_format.COLUMNS, text=csv_format.neutralize
    ):
        self.language = language
        with translation.override(language):
            self.headers = [str(column.header) for column in columns]
            self.kinds = _labels(Agreement.Kind.choices, text)
            self.levels = _labels(Level.choices, text)
            self.statuses = _labels(Agreement.Status.choices, text)
            path = reverse("relations:agreement_detail", kwargs={"pk": PK_PLACEHOLDER})
        self.url_before, self.url_after = absolute_url(request, path).split(str(PK_PLACEHOLDER))


def _labels(choices, text):
    """Return {code: label} as the list page shows it, in the active language."""
    return {value: text(capfirst(str(label))) for value, label in choices}


def _configure(connection):
    settings = ", ".join(["set_config(%s, %s, true)"] * len(POSTGRESQL_SETTINGS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {settings}", [v for item in POSTGRESQL_SETTINGS.items() for v in item]
        )


def fetch_rows(queryset, build_query):
    """Yield the rows of `build_query(connection)`'s (sql, params), fetched CHUNK_SIZE at a time.

    The query runs on the queryset's database: through a server-side cursor on PostgreSQL,
    in a transaction with POSTGRESQL_SETTINGS, so that memory stays flat for any number of rows.
    """
    database = queryset.db or router.db_for_read(queryset.model)
    connection = connections[database]
    sql, params = build_query(connection)
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL's server-side cursor and its settings live in a transaction.
    with transaction.atomic(using=database) if postgresql else nullcontext():
        if postgresql:
            _configure(connection)
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK_SIZE):
                yield from chunk
        finally:
            cursor.close()


def _lines(queryset, context):
    """Yield the CSV line of each agreement of the queryset, in its order, without its end."""
    for (line,) in fetch_rows(queryset, partial(export_query, queryset, context)):
        yield line


def stream_agreements_csv(queryset, *, language, request):
    """Yield the CSV of the queryset's agreements as strings of LINES_PER_WRITE rows.

    Runs one query (and one for the settings on PostgreSQL, where the lines come through a
    server-side cursor in a transaction).
    """
    context = ExportContext(language=language, request=request)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(context.headers)
    yield BOM + buffer.getvalue()
    lines = []
    for line in _lines(queryset, context):
        lines.append(line)
        if len(lines) == LINES_PER_WRITE:
            yield "\r\n".join(lines) + "\r\n"
            lines = []
    if lines:
        yield "\r\n".join(lines) + "\r\n"


def agreements_csv_response(queryset, *, language, request):
    """Return a streamed CSV download of the queryset's agreements."""
    response = StreamingHttpResponse(
        stream_agreements_csv(queryset, language=language, request=request),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"agreements-{language}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
