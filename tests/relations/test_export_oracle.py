"""The database writes the CSV: byte for byte what Python's csv writer writes, on hard text."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.partial_dates import Precision
from relations import export
from relations.csv_format import FORMULA_TRIGGERS
from relations.models import Agreement, Level, Participation, Side
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
)

from .helpers_export import body, expected_csv, export_url, jiangsu_sisterhood

pytestmark = pytest.mark.django_db

# PostgreSQL cannot store NUL; test_export.py checks it on SQLite.
TRIGGERS = [t for t in FORMULA_TRIGGERS if t != "\0"] + ["'"]


@pytest.fixture
def hard_agreements():
    """Agreements whose every text cell needs escaping, quoting or a fallback."""
    jiangsu_sisterhood()
    partner = RegionFactory(
        name_en='Hai, "Nan" City', name_ko="=하이난", name_zh_hans="", country="CN"
    )
    partnership = PartnershipFactory(partner_region=partner)
    fields = [
        CooperationFieldFactory(slug=slug, name_en=en, name_ko=ko)
        for slug, en, ko in [
            ("zeta", "Zeta", ""),
            ("alpha", "alpha", "알파"),
            ("economy", "Économie", "경제"),
            ("tourism", "관광", "관광"),
        ]
    ]
    signer = PersonFactory(name_en="=Kim, Min-ji", name_ko="김민지")
    for number, trigger in enumerate(TRIGGERS):
        agreement = AgreementFactory(
            partnership=partnership,
            kind=Agreement.Kind.FRIENDSHIP if number == 0 else Agreement.Kind.MOU,
            title_en=f'{trigger}Title, with "quotes"\r\nand lines',
            title_ko="" if number % 2 else f"{trigger}제목\n",
            venue_en=f"{trigger}" if number % 3 else "",
            venue_ko="수원, 도담소",
            signed_on=datetime.date(2000 + number, 6, 19),
            signed_on_precision=[Precision.DAY, Precision.MONTH, Precision.YEAR][number % 3],
            valid_until=datetime.date(2030, 1, number + 1) if number % 2 else None,
            source_url=f'https://example.org/{number}?a=1,b="2"' if number % 2 else "",
            fields=fields[: number % 5],
        )
        ParticipationFactory(
            agreement=agreement, person=signer, title_en="Head (acting); Office, 1", order=1
        )
        ParticipationFactory(
            agreement=agreement,
            person=PersonFactory(name_en=f"{trigger}Person {number}", name_ko=""),
            side=Side.PARTNER,
            title_en="",
            title_ko=f"{trigger}대표" if number % 2 else "",
            order=0,
        )
        ParticipationFactory(agreement=agreement, role=Participation.Role.ATTENDEE)
    AgreementFactory(partnership=partnership, signed_on=None, title_en="Undated")
    return Agreement.objects.all()


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_writes_what_pythons_csv_writer_writes(client, hard_agreements, language):
    expected = expected_csv(hard_agreements, language=language, url_prefix="http://testserver")
    assert body(client.get(export_url(language))) == expected


def test_it_writes_the_level_each_partnership_has(client, hard_agreements):
    levels = {a.partnership.level for a in hard_agreements}
    assert levels == {Level.SISTERHOOD, Level.FRIENDSHIP}
    expected = expected_csv(hard_agreements, language="en", url_prefix="http://testserver")
    assert body(client.get(export_url())) == expected


def test_it_quotes_a_public_url_that_needs_quotes(client, settings, hard_agreements):
    settings.PUBLIC_URL = 'https://example.org/a,"b"'
    expected = expected_csv(hard_agreements, language="en", url_prefix=settings.PUBLIC_URL)
    assert body(client.get(export_url())) == expected


def _export(queryset):
    request = RequestFactory().get("/")
    return b"".join(
        chunk.encode()
        for chunk in export.stream_agreements_csv(queryset, language="en", request=request)
    )


def test_it_keeps_the_querysets_own_order(hard_agreements):
    by_title = Agreement.objects.order_by("-title_en", "pk")
    assert _export(by_title) == expected_csv(
        by_title, language="en", url_prefix="http://testserver"
    )


def test_it_writes_each_agreement_once_from_a_distinct_queryset(hard_agreements):
    joined = Agreement.objects.filter(fields__slug__in=["zeta", "alpha"]).distinct()
    assert joined.count() < Agreement.objects.filter(fields__slug__in=["zeta", "alpha"]).count()
    assert _export(joined) == expected_csv(joined, language="en", url_prefix="http://testserver")


def test_it_exports_a_slice_in_its_order(hard_agreements):
    first = Agreement.objects.all()[:3]
    assert _export(first) == expected_csv(first, language="en", url_prefix="http://testserver")


def test_it_reads_everything_in_one_query(hard_agreements):
    with CaptureQueriesContext(connection) as queries:
        _export(Agreement.objects.all())
    reads = [q["sql"] for q in queries if "relations_agreement" in q["sql"]]
    assert len(reads) == 1
