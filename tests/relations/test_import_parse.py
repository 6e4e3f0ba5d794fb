"""Reading the cells: ids, names in every language, headers, and cells guarded from formulas."""

import pytest

from relations.importing import agreement_import
from relations.models import Agreement, Partnership
from tests.factories import AgreementFactory, PersonFactory
from tests.relations.helpers_import import (
    World,
    agreement_row,
    agreements_1_and_10,
    csv_file,
    signatories_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def run(rows, *, dry_run=False, **kwargs):
    return agreement_import(file=csv_file(rows, **kwargs), dry_run=dry_run)


def test_it_refuses_unknown_people_fields_and_regions_rather_than_creating_them(world):
    report = run([agreement_row(signatories="Jane Doe", fields="Astrology", partner_region="Mu")])

    messages = " ".join(problem.message for problem in report.errors)
    assert "Jane Doe" in messages and "Astrology" in messages and "Mu" in messages
    assert not Partnership.objects.exclude(pk=world.partnership.pk).exists()


def test_it_refuses_a_home_region_that_is_not_the_home_region(world):
    report = run([agreement_row(home_region="Liaoning Province")])

    assert [(p.row, p.column) for p in report.errors] == [(2, "home_region")]


def test_it_matches_by_slug_and_by_names_in_every_language(world):
    row = agreement_row(
        home_region="경기도",
        partner_region="江苏省",
        kind="sisterhood",
        status="유효",
        fields="economy; 经济贸易; Tourism",
        signatories="김동연 (Governor); 信长星 (Party Secretary)",
    )

    report = run([row])

    assert report.ok, report.errors
    agreement = Agreement.objects.get()
    assert agreement.partnership == world.partnership
    assert set(agreement.fields.all()) == {world.economy, world.tourism}
    assert [name for name, _title, _side in signatories_of(agreement)] == [
        "Dong-yeon Kim",
        "Xin Changxing",
    ]


def test_it_tells_two_people_of_the_same_name_apart_only_by_refusing(world):
    PersonFactory(name_en="Dong-yeon Kim")

    report = run([agreement_row()])

    assert [(p.row, p.column) for p in report.errors] == [(2, "signatories")]


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_it_reads_headers_in_korean_and_chinese(world, language):
    agreement = AgreementFactory(partnership=world.partnership, title_en="Agreement")
    row = {"id": str(agreement.pk), "title": "번역된 제목", "venue": "도담소"}

    report = run([row], language=language, columns=("id", "title", "venue"))

    assert report.ok, report.errors
    assert report.language == language
    agreement.refresh_from_db()
    # Translated text goes into the language of the header row; English is kept.
    field = language.replace("-", "_")
    assert getattr(agreement, f"title_{field}") == "번역된 제목"
    assert getattr(agreement, f"venue_{field}") == "도담소"
    assert agreement.title_en == "Agreement"


def test_it_restores_cells_that_were_protected_from_formulas(world):
    row = agreement_row(title="=SUM(A1)", venue="+82 31 120 3114", signatories="")

    data = csv_file([row]).getvalue().decode("utf-8-sig")
    assert "'=SUM(A1)" in data and "'+82 31 120 3114" in data
    report = agreement_import(file=csv_file([row]), dry_run=False)

    assert report.ok, report.errors
    agreement = Agreement.objects.get()
    assert (agreement.title_en, agreement.venue_en) == ("=SUM(A1)", "+82 31 120 3114")


@pytest.mark.parametrize("text", ["1_0", "\uff11", "+1", "1.0", "\u0663", "0"])
def test_it_reads_ids_in_the_ascii_digits_only(world, text):
    agreements_1_and_10(world)

    report = run([{"id": text, "title": "Renamed"}], columns=("id", "title"))

    assert [str(problem) for problem in report.errors] == [
        f"row 2, ID: \u201c{text}\u201d is not an ID: an ID is a number from 1 up, written in "
        "the digits 0-9."
    ]
    assert not Agreement.objects.filter(title_en="Renamed").exists()


@pytest.mark.parametrize("title", ["'Tis the season", "'90s exchange", "'", "'quoted'"])
def test_it_keeps_a_leading_apostrophe_that_guards_no_formula(world, title):
    report = run([agreement_row(title=title, signatories="")], guard=False)

    assert report.ok, report.errors
    assert Agreement.objects.get().title_en == title
