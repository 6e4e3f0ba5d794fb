"""Export, import into an empty database with the same regions, export again: same bytes."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from core.partial_dates import Precision
from relations.importing import agreement_import
from relations.models import Agreement, Participation, Partnership
from tests.factories import AgreementFactory, ParticipationFactory
from tests.relations.helpers_import import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The World, with agreements that use every column and a second partnership."""
    world = World()
    add_jiangsu_agreements(world)
    add_liaoning_agreements(world)
    return world


def add_jiangsu_agreements(world):
    """A sisterhood with every column filled in, and a title that looks like a formula."""
    sisterhood = AgreementFactory(
        partnership=world.partnership,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement between Gyeonggi and Jiangsu",
        title_ko="경기도-장쑤성 자매결연 협정",
        title_zh_hans="京畿道与江苏省缔结友好省关系协议书",
        venue_en="Dodamso, Suwon",
        venue_ko="도담소",
        signed_on=datetime.date(2024, 6, 19),
        valid_until=datetime.date(2029, 6, 18),
        source_url="https://example.org/news/2024-06-19",
        fields=[world.economy, world.tourism],
    )
    ParticipationFactory(
        agreement=sisterhood,
        person=world.kim,
        title_en="Governor of Gyeonggi Province",
        title_ko="경기도지사",
    )
    ParticipationFactory(agreement=sisterhood, person=world.xin, order=1, title_en="")
    ParticipationFactory(
        agreement=sisterhood, person=world.xin, role=Participation.Role.ATTENDEE, title_en=""
    )
    AgreementFactory(
        partnership=world.partnership,
        kind=Agreement.Kind.FRIENDSHIP,
        title_en='=HYPERLINK("http://evil.example")',
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
        status=Agreement.Status.SUPERSEDED,
    )


def add_liaoning_agreements(world):
    """A second partnership: a date to the month, and an agreement without a date."""
    liaoning = Partnership.objects.create(
        home_region=world.home, partner_region=world.liaoning, slug="liaoning"
    )
    AgreementFactory(
        partnership=liaoning,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood, since October 1993",
        signed_on=datetime.date(1993, 10, 1),
        signed_on_precision=Precision.MONTH,
        fields=[world.economy],
    )
    AgreementFactory(
        partnership=liaoning,
        kind=Agreement.Kind.MOU,
        title_en="Memorandum; date not recorded",
        signed_on=None,
        status=Agreement.Status.TERMINATED,
        venue_en="-",
    )


def export(client, language):
    with translation.override(language):
        url = reverse("relations:agreement_export")
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def empty_the_registry():
    """Delete the agreements and partnerships; regions, fields and people stay."""
    Participation.objects.all().delete()
    Agreement.objects.all().delete()
    Partnership.objects.all().delete()


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_gives_back_the_same_file(world, client, language):
    before = export(client, language)
    empty_the_registry()

    report = agreement_import(file=io.BytesIO(before), dry_run=False)

    assert report.ok, report.errors
    assert report.created == 4
    assert export(client, language) == before


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_changes_nothing_when_an_export_is_imported_again(world, client, language):
    before = {
        (a.pk, a.title_en, a.title_ko, a.title_zh_hans, a.venue_ko)
        for a in Agreement.objects.all()
    }
    data = export(client, language)

    report = agreement_import(file=io.BytesIO(data), dry_run=False)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    after = {
        (a.pk, a.title_en, a.title_ko, a.title_zh_hans, a.venue_ko)
        for a in Agreement.objects.all()
    }
    assert after == before
