"""The import end to end: what it creates and updates, what it refuses, and its queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.partial_dates import Precision
from relations.importing import agreement_import
from relations.models import Agreement, Level, Participation, Partnership, Side
from tests.factories import AgreementFactory, ParticipationFactory
from tests.relations.helpers_import import (
    World,
    agreement_row,
    csv_file,
    signatories_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def run(rows, *, dry_run=False, **kwargs):
    return agreement_import(file=csv_file(rows, **kwargs), dry_run=dry_run)


def test_it_creates_an_agreement(world):
    report = run([agreement_row()])

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    agreement = Agreement.objects.get()
    assert agreement.title_en == "Sisterhood Agreement"
    assert agreement.kind == Agreement.Kind.SISTERHOOD
    assert agreement.partnership == world.partnership
    assert (agreement.signed_on, agreement.signed_on_precision) == (
        datetime.date(2024, 6, 19),
        Precision.DAY,
    )
    assert agreement.venue_en == "Dodamso"
    assert set(agreement.fields.all()) == {world.economy, world.tourism}
    assert agreement.source_url == "https://example.org/news/1"
    assert signatories_of(agreement) == [
        ("Dong-yeon Kim", "Governor of Gyeonggi Province", Side.HOME),
        ("Xin Changxing", "", Side.PARTNER),
    ]


def test_it_refreshes_the_partnership_level(world):
    AgreementFactory(partnership=world.partnership, kind=Agreement.Kind.FRIENDSHIP)
    world.partnership.refresh_from_db()
    assert world.partnership.level == Level.FRIENDSHIP

    run([agreement_row(signed_on="2024-06", valid_until="2034-06-30")])

    world.partnership.refresh_from_db()
    assert world.partnership.level == Level.SISTERHOOD
    agreement = Agreement.objects.get(kind=Agreement.Kind.SISTERHOOD)
    assert agreement.signed_on_precision == Precision.MONTH


def test_it_updates_an_agreement_by_id(world):
    agreement = AgreementFactory(
        partnership=world.partnership, title_en="Old title", title_ko="옛 제목", venue_en="Suwon"
    )
    row = agreement_row(id=str(agreement.pk), title="New title", status="Expired", venue="")

    report = run([row], columns=("id", "title", "status", "venue"))

    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    changes = {change.column: (change.old, change.new) for change in report.planned[0].changes}
    assert changes == {
        "title": ("Old title", "New title"),
        "status": ("In force", "Expired"),
        "venue": ("Suwon", ""),
    }
    agreement.refresh_from_db()
    assert (agreement.title_en, agreement.title_ko) == ("New title", "옛 제목")
    assert agreement.status == Agreement.Status.EXPIRED
    assert agreement.venue_en == ""
    # Columns left out of the file are left as they were.
    assert agreement.kind == Agreement.Kind.COOPERATION


def test_it_creates_an_agreement_under_the_id_of_the_file(world):
    report = run([agreement_row(id="500")])

    assert report.ok, report.errors
    assert Agreement.objects.get().pk == 500
    # The next agreement takes a free id on PostgreSQL too: its sequence was reset.
    assert AgreementFactory(partnership=world.partnership).pk > 500


def test_it_leaves_an_agreement_unchanged_when_its_row_has_not_changed(world):
    run([agreement_row()])
    agreement = Agreement.objects.get()

    with CaptureQueriesContext(connection) as queries:
        report = run([agreement_row(id=str(agreement.pk))])

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert [sql for sql in writes if "SAVEPOINT" not in sql.upper()] == []


def test_it_writes_nothing_when_one_row_is_invalid(world):
    rows = [
        agreement_row(title="First"),
        agreement_row(title="Second"),
        agreement_row(title="Third", kind="Treaty of friendship"),
        agreement_row(title="Fourth"),
    ]

    report = run(rows)

    assert not report.ok
    assert [(p.row, p.column) for p in report.errors] == [(4, "kind")]
    assert "Treaty of friendship" in report.errors[0].message
    assert not report.written
    assert Agreement.objects.count() == 0
    assert Participation.objects.count() == 0


def test_it_writes_nothing_when_a_later_row_breaks_a_constraint(world):
    existing = AgreementFactory(partnership=world.partnership, title_en="Untouched")
    rows = [
        agreement_row(id=str(existing.pk), title="Changed"),
        agreement_row(title="New"),
        agreement_row(title="Bad", signed_on="2024-06-19", valid_until="2020-01-01"),
    ]

    report = run(rows)

    assert [(p.row, p.column) for p in report.errors] == [(4, "valid_until")]
    existing.refresh_from_db()
    assert existing.title_en == "Untouched"
    assert Agreement.objects.count() == 1


def test_it_lists_every_error_with_its_row_and_column(world):
    rows = [
        agreement_row(partner_region="Atlantis", fields="Economy and trade; Astrology"),
        agreement_row(),
        agreement_row(signed_on="19 June 2024", signatories="Nobody (Governor)", title=""),
        agreement_row(id="banana", status="Half in force", source_url="not a url"),
    ]

    report = run(rows)

    assert [(p.row, p.column) for p in report.errors] == [
        (2, "partner_region"),
        (2, "fields"),
        (4, "title"),
        (4, "signed_on"),
        (4, "signatories"),
        (5, "id"),
        (5, "status"),
        (5, "source_url"),
    ]
    assert Agreement.objects.count() == 0


def test_it_refuses_duplicate_ids(world):
    agreement = AgreementFactory(partnership=world.partnership)
    rows = [agreement_row(id=str(agreement.pk)), agreement_row(id=str(agreement.pk))]

    report = run(rows)

    assert [(p.row, p.column) for p in report.errors] == [(3, "id")]
    assert "row 2" in report.errors[0].message


def test_it_refuses_a_partner_country_that_is_not_the_regions(world):
    report = run([agreement_row(partner_country="JP")])

    assert [(p.row, p.column) for p in report.errors] == [(2, "partner_country")]


def test_it_needs_a_title_kind_and_partner_to_create_an_agreement(world):
    report = run([{"title": "Lonely"}], columns=("title",))

    assert [(p.row, p.column) for p in report.errors] == [(2, "kind"), (2, "partner_region")]


def test_it_creates_a_missing_partnership_and_says_so(world):
    report = run([agreement_row(partner_region="liaoning", kind="friendship")])

    assert report.ok, report.errors
    partnership = Partnership.objects.get(partner_region=world.liaoning)
    assert (partnership.home_region, partnership.slug) == (world.home, "liaoning")
    assert partnership.level == Level.FRIENDSHIP
    assert any("Liaoning" in note for note in report.notes)


def test_it_plans_a_missing_partnership_without_creating_it_in_a_dry_run(world):
    report = run([agreement_row(partner_region="liaoning")], dry_run=True)

    assert report.ok and not report.written
    assert any("Liaoning" in note for note in report.notes)
    assert not Partnership.objects.filter(partner_region=world.liaoning).exists()


def test_it_writes_nothing_in_a_dry_run(world):
    report = run([agreement_row()], dry_run=True)

    assert (report.created, report.written) == (1, False)
    assert Agreement.objects.count() == 0


def test_it_keeps_the_english_fallback_out_of_other_languages(world):
    agreement = AgreementFactory(partnership=world.partnership, title_en="Only in English")
    row = {"id": str(agreement.pk), "title": "Only in English", "status": "유효"}

    report = run([row], language="ko", columns=("id", "title", "status"))

    assert report.unchanged == 1
    agreement.refresh_from_db()
    assert agreement.title_ko in ("", None)


def test_it_gives_a_new_agreement_its_korean_title_in_english_too(world):
    report = run([agreement_row(title="자매결연 협정", kind="자매결연 협정")], language="ko")

    assert report.ok, report.errors
    agreement = Agreement.objects.get()
    assert (agreement.title_ko, agreement.title_en) == ("자매결연 협정", "자매결연 협정")
    assert report.notes


def test_it_replaces_signatories_and_leaves_other_participants(world):
    agreement = AgreementFactory(partnership=world.partnership)
    ParticipationFactory(
        agreement=agreement, person=world.xin, side=Side.PARTNER, title_en="Secretary"
    )
    ParticipationFactory(
        agreement=agreement, person=world.kim, title_en="Governor", title_ko="도지사"
    )
    attendee = ParticipationFactory(agreement=agreement, role=Participation.Role.ATTENDEE)
    row = {"id": str(agreement.pk), "signatories": "Dong-yeon Kim (Governor of Gyeonggi)"}

    report = run([row], columns=("id", "signatories"))

    assert report.ok, report.errors
    assert signatories_of(agreement) == [("Dong-yeon Kim", "Governor of Gyeonggi", Side.HOME)]
    kim = agreement.participations.get(person=world.kim)
    assert kim.title_ko == "도지사"  # the title in the other languages stays
    assert agreement.participations.filter(pk=attendee.pk).exists()


def test_it_places_a_new_signatory_on_the_side_they_signed_for_before(world):
    ParticipationFactory(person=world.kim, side=Side.PARTNER)

    run([agreement_row(signatories="Xin Changxing; Dong-yeon Kim")])

    agreement = Agreement.objects.get(partnership=world.partnership)
    assert [side for _name, _title, side in signatories_of(agreement)] == [
        Side.HOME,
        Side.PARTNER,
    ]


def test_it_moves_an_agreement_to_another_partner_and_refreshes_both_levels(world):
    agreement = AgreementFactory(partnership=world.partnership, kind=Agreement.Kind.SISTERHOOD)
    row = {"id": str(agreement.pk), "partner_region": "Liaoning Province"}

    report = run([row], columns=("id", "partner_region"))

    assert report.ok, report.errors
    world.partnership.refresh_from_db()
    assert world.partnership.level == ""
    assert Partnership.objects.get(partner_region=world.liaoning).level == Level.SISTERHOOD


def test_its_queries_do_not_grow_with_unchanged_rows(world):
    agreements = [AgreementFactory(partnership=world.partnership) for _ in range(6)]
    for agreement in agreements:
        ParticipationFactory(agreement=agreement, person=world.kim, title_en="")
    rows = [
        agreement_row(
            id=str(a.pk),
            title=a.title_en,
            kind="Cooperation agreement",
            signed_on="2020-05-17",
            venue="",
            fields="",
            signatories="Dong-yeon Kim",
            source_url="",
        )
        for a in agreements
    ]

    def count(rows):
        with CaptureQueriesContext(connection) as queries:
            report = run(rows)
        assert report.unchanged == len(rows), report.errors
        return len(queries)

    # Intended to prevent an n+1: lookups and prefetches are per file, not per row.
    assert count(rows[:2]) == count(rows)


def test_its_queries_do_not_grow_with_new_rows(world):
    def count(n):
        rows = [agreement_row(title=f"Agreement {i}") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            report = run(rows)
        assert report.created == n, report.errors
        return len(queries)

    count(1)  # raises the partnership's level once, a write the later imports do not need
    # Intended to prevent an n+1: lookups, constraint checks, inserts, fields, signatories
    # and the partnership's level are per file or per batch, never per row.
    assert count(10) == count(5)
