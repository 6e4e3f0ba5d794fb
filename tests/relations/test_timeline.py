import datetime

import pytest
from django.utils import translation

from core.partial_dates import Precision
from relations.models import Agreement, Exchange, Partnership, WorkingGroup
from relations.timeline import partnership_timeline, with_timeline
from tests.factories import (
    AgreementFactory,
    ExchangeFactory,
    MeetingFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def _timeline(partnership):
    return partnership_timeline(
        partnership=with_timeline(Partnership.objects).get(pk=partnership.pk)
    )


@pytest.fixture
def jiangsu():
    partnership = PartnershipFactory()
    AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.FRIENDSHIP,
        title_en="Friendly relationship",
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )
    sisterhood = AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement",
        signed_on=datetime.date(2024, 6, 19),
    )
    ParticipationFactory(
        agreement=sisterhood, person=PersonFactory(name_en="Dong-yeon Kim"), order=1
    )
    WorkingGroupFactory(
        partnership=partnership, name_en="Joint working group", status=WorkingGroup.Status.PLANNED
    )
    ExchangeFactory(
        partnership=partnership,
        title_en="Medical training",
        direction=Exchange.Direction.INBOUND,
    )
    return partnership


def test_it_groups_entries_by_year_in_date_order_with_unknown_dates_last(jiangsu):
    ExchangeFactory(partnership=jiangsu, title_en="Visit", starts_on=datetime.date(2019, 4, 2))
    timeline = _timeline(jiangsu)
    assert [group.year for group in timeline] == [2011, 2019, 2024, None]
    assert timeline[-1].label == "date not recorded"
    assert {e.title.text for e in timeline[-1].entries} == {
        "Joint working group",
        "Medical training",
    }


def test_it_orders_entries_within_a_year_by_date():
    partnership = PartnershipFactory()
    for day, title in [(20, "Late"), (1, "Early"), (10, "Middle")]:
        ExchangeFactory(
            partnership=partnership, title_en=title, starts_on=datetime.date(2020, 5, day)
        )
    (group,) = _timeline(partnership)
    assert [e.title.text for e in group.entries] == ["Early", "Middle", "Late"]


def test_it_calls_out_the_agreements_that_changed_the_level(jiangsu):
    AgreementFactory(partnership=jiangsu, signed_on=datetime.date(2025, 2, 1))
    entries = [e for group in _timeline(jiangsu) for e in group.entries if e.kind == "agreement"]
    assert [e.callout for e in entries] == [
        "Level set to friendship",
        "Level raised to sisterhood",
        "",
    ]


def test_it_gives_agreements_a_link_and_their_people(jiangsu):
    (entry,) = _timeline(jiangsu)[1].entries
    sisterhood = Agreement.objects.get(kind=Agreement.Kind.SISTERHOOD)
    assert entry.url == sisterhood.get_absolute_url()
    assert entry.label == "sisterhood agreement"
    assert [p.person.name for p in entry.participations] == ["Dong-yeon Kim"]


def test_it_puts_signatories_before_attendees(jiangsu):
    sisterhood = Agreement.objects.get(kind=Agreement.Kind.SISTERHOOD)
    ParticipationFactory(
        agreement=sisterhood, role="attendee", person=PersonFactory(name_en="Fang Kun"), order=0
    )
    (entry,) = _timeline(jiangsu)[1].entries
    assert [p.role for p in entry.participations] == ["signatory", "attendee"]


def test_it_shows_working_groups_with_their_status_and_meetings(jiangsu):
    group = WorkingGroup.objects.get()
    MeetingFactory(group=group, held_on=datetime.date(2025, 3, 4), place_en="Suwon")
    timeline = _timeline(jiangsu)
    meeting = timeline[2].entries[0]
    assert (meeting.kind, meeting.title.text, meeting.notes) == (
        "meeting",
        "Joint working group",
        ("Suwon",),
    )
    setup = next(e for e in timeline[-1].entries if e.kind == "working_group")
    assert setup.notes == ("planned",)


def test_it_links_working_groups_and_their_meetings_to_the_group(jiangsu):
    group = WorkingGroup.objects.get()
    MeetingFactory(group=group, held_on=datetime.date(2025, 3, 4))
    entries = [e for year in _timeline(jiangsu) for e in year.entries]
    urls = {e.kind: e.url for e in entries if e.kind in ("working_group", "meeting")}
    assert urls == {"working_group": group.get_absolute_url(), "meeting": group.get_absolute_url()}


def test_it_says_where_an_agreement_was_signed():
    partnership = PartnershipFactory()
    AgreementFactory(partnership=partnership, venue_en="Dodamso", venue_ko="도담소")
    AgreementFactory(partnership=partnership, signed_on=datetime.date(2021, 1, 1))
    with translation.override("ko"):
        signed, without_venue = [e for year in _timeline(partnership) for e in year.entries]
    assert (signed.venue.text, signed.venue.lang) == ("도담소", "ko")
    assert without_venue.venue is None


def test_it_shows_exchanges_with_kind_and_direction(jiangsu):
    exchange = next(e for e in _timeline(jiangsu)[-1].entries if e.kind == "exchange")
    assert exchange.label == "delegation visit"
    assert exchange.notes == ("inbound",)


def test_it_translates_titles_with_a_fallback():
    partnership = PartnershipFactory()
    ExchangeFactory(partnership=partnership, title_en="Visit", title_ko="방문")
    ExchangeFactory(partnership=partnership, title_en="Only English")
    with translation.override("ko"):
        titles = {(e.title.text, e.title.lang) for e in _timeline(partnership)[0].entries}
    assert titles == {("방문", "ko"), ("Only English", "en")}


def test_it_labels_a_year_in_the_visitors_language(jiangsu):
    with translation.override("ko"):
        assert _timeline(jiangsu)[0].label == "2011년"


def test_it_builds_the_timeline_without_a_query_of_its_own(jiangsu, django_assert_num_queries):
    partnership = with_timeline(Partnership.objects).get(pk=jiangsu.pk)
    with django_assert_num_queries(0):
        partnership_timeline(partnership=partnership)


def test_it_is_empty_without_records():
    assert _timeline(PartnershipFactory()) == []
