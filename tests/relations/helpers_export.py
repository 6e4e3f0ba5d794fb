"""Reading the agreement CSV in tests, and agreements whose text tests the file's rules."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from core.i18n import translated
from core.partial_dates import Precision
from relations.csv_format import COLUMNS, KEYS, LIST_SEPARATOR, neutralize
from relations.models import Agreement, Level, Participation, Side
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
)


def export_url(language="en", query=""):
    with translation.override(language):
        return reverse("relations:agreement_export") + (f"?{query}" if query else "")


def body(response):
    """Return the bytes of a streamed response."""
    assert response.streaming
    return b"".join(response.streaming_content)


def rows(response):
    """Return the CSV's rows (header first) as lists of strings."""
    text = body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def records(response):
    """Return the data rows as dicts by column key."""
    return [dict(zip(KEYS, row, strict=True)) for row in rows(response)[1:]]


def exported_ids(response):
    return [int(row[0]) for row in rows(response)[1:]]


def jiangsu_sisterhood():
    """Return the Gyeonggi–Jiangsu sisterhood agreement, in three languages, with signatories."""
    jiangsu = RegionFactory(
        name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
    )
    partnership = PartnershipFactory(partner_region=jiangsu)
    home = partnership.home_region
    home.name_ko, home.name_zh_hans = "경기도", "京畿道"
    home.save()
    agreement = AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement between Gyeonggi Province and Jiangsu Province",
        title_ko="경기도와 장쑤성 간 자매결연 협정",
        title_zh_hans="京畿道与江苏省缔结姐妹友好关系协议",
        venue_en="Dodamso, Suwon",
        venue_ko="도담소",
        signed_on=datetime.date(2024, 6, 19),
        source_url="https://example.org/release",
        fields=[
            CooperationFieldFactory(slug="tourism", name_en="Tourism", name_ko="관광"),
            CooperationFieldFactory(slug="education", name_en="Education", name_ko="교육"),
        ],
    )
    kim = PersonFactory(name_en="Dong-yeon Kim", name_ko="김동연", name_zh_hans="金东兖")
    xin = PersonFactory(name_en="Xin Changxing", name_ko="신창싱", name_zh_hans="信长星")
    ParticipationFactory(
        agreement=agreement,
        person=kim,
        title_en="Governor of Gyeonggi Province",
        title_ko="경기도지사",
    )
    ParticipationFactory(
        agreement=agreement,
        person=xin,
        side=Side.PARTNER,
        order=1,
        title_en="Party Secretary of Jiangsu Province",
    )
    ParticipationFactory(
        agreement=agreement,
        role=Participation.Role.ATTENDEE,
        person=PersonFactory(name_en="Fang Kun"),
        title_en="Minister of the Chinese Embassy in Korea",
    )
    return agreement


def year_only_friendship(partnership):
    return AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.FRIENDSHIP,
        title_en="Friendly relationship",
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )


def expected_csv(agreements, *, language, url_prefix):
    """Return the bytes the export must write for the agreements, in their order.

    An oracle written with the ORM, core.i18n's Python fallback and Python's csv writer,
    independently of the export's SQL: what the file promised before the database wrote it.
    """
    with translation.override(language):
        kinds = {code: neutralize(capfirst(str(label))) for code, label in Agreement.Kind.choices}
        levels = {code: neutralize(capfirst(str(label))) for code, label in Level.choices}
        statuses = {
            code: neutralize(capfirst(str(label))) for code, label in Agreement.Status.choices
        }
        header = [str(column.header) for column in COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for agreement in agreements:
        partnership = agreement.partnership
        fields = sorted(translated(f, "name", language).text for f in agreement.fields.all())
        signatories = [
            _signatory(p, language)
            for p in agreement.participations.filter(role=Participation.Role.SIGNATORY)
            .select_related("person")
            .order_by("order", "pk")
        ]
        writer.writerow(
            [
                str(agreement.pk),
                neutralize(translated(agreement, "title", language).text),
                kinds.get(agreement.kind, agreement.kind),
                neutralize(translated(partnership.home_region, "name", language).text),
                neutralize(translated(partnership.partner_region, "name", language).text),
                neutralize(partnership.partner_region.country.code),
                levels.get(partnership.level, partnership.level),
                agreement.signed.isoformat(),
                statuses.get(agreement.status, agreement.status),
                agreement.valid_until.isoformat() if agreement.valid_until else "",
                neutralize(translated(agreement, "venue", language).text),
                neutralize(LIST_SEPARATOR.join(fields)),
                neutralize(LIST_SEPARATOR.join(signatories)),
                neutralize(agreement.source_url),
                f"{url_prefix}/{language}/agreements/{agreement.pk}/",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _signatory(participation, language):
    name = translated(participation.person, "name", language).text
    title = translated(participation, "title", language).text
    return f"{name} ({title})" if title else name
