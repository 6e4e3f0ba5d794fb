"""Agreements as CSV, streamed: the public list's export and the admin action share it.

The file: a UTF-8 byte order mark (Excel reads the file as UTF-8 only with it), a header
row in the export's language, CRLF line ends and RFC 4180 quoting. Columns and the
formula-injection rule come from csv_format, which the import reads too. `fields` holds
the field names in the export's language sorted by code point, `signatories` the signatory
participations in their order ("Name (Title at the time)", or "Name"), both "; "-joined.

Rows are read as plain values, not model instances (core.bulk): with modeltranslation an
Agreement's __init__ alone costs more than writing its row, and 100,000 rows must stream in
a few seconds with flat memory; the language fallback is applied in SQL (core.i18n). Each
chunk of CHUNK_SIZE agreements costs two more queries (fields, signatories), so the query
count grows with the chunks, never with the rows.
"""

import csv
import io

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from core.batching import batched
from core.bulk import plain_queryset
from core.i18n import fallback_sql
from core.links import absolute_url
from core.partial_dates import PartialDate

from . import csv_format
from .models import Agreement, CooperationField, Level, Participation

BOM = "\ufeff"
CHUNK_SIZE = 2000  # agreements per database round trip
LINES_PER_WRITE = 500  # rows per string handed to the response
PK_PLACEHOLDER = 2_147_483_647  # reversed once, then replaced by each agreement's id

_PLAIN = (
    "pk",
    "kind",
    "partnership__partner_region__country",
    "partnership__level",
    "signed_on",
    "signed_on_precision",
    "status",
    "valid_until",
    "source_url",
)
_TRANSLATED = (
    "title",
    "venue",
    "partnership__home_region__name",
    "partnership__partner_region__name",
)


def _labels(choices):
    """Return {code: label} as the list page shows it, in the active language."""
    return {value: csv_format.neutralize(capfirst(str(label))) for value, label in choices}


class _Context:
    """What every row of one export needs, in its language; built with one query."""

    def __init__(self, *, language, request):
        self.language = language
        with translation.override(language):
            self.headers = [str(column.header) for column in csv_format.COLUMNS]
            self.kinds = _labels(Agreement.Kind.choices)
            self.levels = _labels(Level.choices)
            self.statuses = _labels(Agreement.Status.choices)
            path = reverse("relations:agreement_detail", kwargs={"pk": PK_PLACEHOLDER})
        self.url_before, self.url_after = absolute_url(request, path).split(str(PK_PLACEHOLDER))
        self.field_names = dict(
            plain_queryset(CooperationField.objects.all()).values_list(
                "pk", fallback_sql("name", language)
            )
        )


def _fields_by_agreement(ids, context):
    """Return {agreement id: "; "-joined field names}, names sorted as strings, one query."""
    links = Agreement.fields.through.objects.filter(agreement__pk__in=ids)
    names = {}
    for agreement_id, field_id in links.values_list("agreement_id", "cooperationfield_id"):
        names.setdefault(agreement_id, []).append(context.field_names[field_id])
    return {pk: csv_format.LIST_SEPARATOR.join(sorted(found)) for pk, found in names.items()}


def _signatories_by_agreement(ids, context):
    """Return {agreement id: "Name (Title); ..."} in the participations' order, one query."""
    participations = (
        plain_queryset(Participation.objects.all())
        .filter(agreement__pk__in=ids, role=Participation.Role.SIGNATORY)
        .order_by("agreement_id", "order", "pk")
        .values_list(
            "agreement_id",
            fallback_sql("person__name", context.language),
            fallback_sql("title", context.language),
        )
    )
    people = {}
    for agreement_id, name, title in participations:
        people.setdefault(agreement_id, []).append(f"{name} ({title})" if title else name)
    return {pk: csv_format.LIST_SEPARATOR.join(found) for pk, found in people.items()}


def _chunk_rows(chunk, context):
    """Yield the cells of each agreement of one chunk of value rows."""
    ids = [values[0] for values in chunk]
    fields = _fields_by_agreement(ids, context)
    signatories = _signatories_by_agreement(ids, context)
    neutralize = csv_format.neutralize
    for values in chunk:
        # In the order of _PLAIN, then _TRANSLATED.
        pk, kind, country, level, signed, precision, status, valid_until, source, *texts = values
        title, venue, home, partner = texts
        yield [
            str(pk),
            neutralize(title),
            context.kinds.get(kind, kind),
            neutralize(home),
            neutralize(partner),
            neutralize(country),
            context.levels.get(level, level),
            PartialDate(signed, precision).isoformat(),
            context.statuses.get(status, status),
            valid_until.isoformat() if valid_until else "",
            neutralize(venue),
            neutralize(fields.get(pk, "")),
            neutralize(signatories.get(pk, "")),
            neutralize(source),
            f"{context.url_before}{pk}{context.url_after}",
        ]


def _rows(queryset, context):
    translated = [fallback_sql(field, context.language) for field in _TRANSLATED]
    values = plain_queryset(queryset).prefetch_related(None).values_list(*_PLAIN, *translated)
    for chunk in batched(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        yield from _chunk_rows(chunk, context)


def agreement_rows(queryset, *, language, request):
    """Yield each agreement of the queryset, in its order, as a list of cell strings.

    Runs one query, then two per CHUNK_SIZE agreements. The request gives the host of
    the `url` column when DJANGO_PUBLIC_URL is not set.
    """
    yield from _rows(queryset, _Context(language=language, request=request))


def stream_agreements_csv(queryset, *, language, request):
    """Yield the CSV of the queryset's agreements as strings of LINES_PER_WRITE rows."""
    context = _Context(language=language, request=request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(context.headers)
    yield BOM + buffer.getvalue()
    for lines in batched(_rows(queryset, context), LINES_PER_WRITE):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(lines)
        yield buffer.getvalue()


def agreements_csv_response(queryset, *, language, request):
    """Return a streamed CSV download of the queryset's agreements."""
    response = StreamingHttpResponse(
        stream_agreements_csv(queryset, language=language, request=request),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"agreements-{language}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
