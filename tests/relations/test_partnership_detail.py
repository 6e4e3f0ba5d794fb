import datetime
import re

import pytest
from django.utils import translation

from core.partial_dates import Precision
from relations.models import Agreement
from tests.factories import (
    AgreementFactory,
    ExchangeFactory,
    ParticipationFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def _url(partnership, language="en"):
    with translation.override(language):
        return partnership.get_absolute_url()


@pytest.fixture
def jiangsu():
    partner = RegionFactory(
        name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
    )
    partnership = PartnershipFactory(
        partner_region=partner, summary_en="Friends since 2011, sisters since 2024."
    )
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
        internal_notes="The announcement says May 19",
    )
    ParticipationFactory(
        agreement=sisterhood,
        person=PersonFactory(name_en="Xin Changxing"),
        title_en="Party Secretary of Jiangsu Province",
    )
    WorkingGroupFactory(partnership=partnership, name_en="Joint working group")
    ExchangeFactory(partnership=partnership, title_en="University student exchanges")
    return partnership


def test_it_shows_the_summary_level_history_and_timeline(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert r.status_code == 200
    text = r.text
    assert "Friends since 2011, sisters since 2024." in text
    history = text.split('id="level-history-heading"')[1].split("</section>")[0]
    assert history.index("Friendship") < history.index("2011") < history.index("Sisterhood")
    assert "19 June 2024" in history
    assert "Level raised to sisterhood" in text
    assert "Xin Changxing, <span>Party Secretary of Jiangsu Province</span>" in text
    assert "Joint working group" in text
    timeline = text.split('id="timeline-heading"')[1]
    assert timeline.index("Joint working group") > timeline.index("date not recorded")
    assert "University student exchanges" in text


def test_it_links_the_partner_and_home_regions(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert jiangsu.partner_region.get_absolute_url() in r.text
    assert jiangsu.home_region.get_absolute_url() in r.text


@pytest.mark.parametrize(
    ("language", "name", "date"),
    [
        ("en", "Jiangsu Province", "19 June 2024"),
        ("ko", "장쑤성", "2024년 6월 19일"),
        ("zh-hans", "江苏省", "2024年6月19日"),
    ],
)
def test_it_shows_names_and_dates_in_the_visitors_language(client, jiangsu, language, name, date):
    r = client.get(_url(jiangsu, language))
    assert r.status_code == 200
    assert name in r.text
    assert date in r.text


def test_it_marks_a_summary_shown_in_another_language(client, jiangsu):
    r = client.get(_url(jiangsu, "ko"))
    assert '<div lang="en"><p>Friends since 2011' in r.text
    assert "fallback-notice" in r.text


def test_it_shows_the_summary_in_the_visitors_language_when_it_exists(client, jiangsu):
    jiangsu.summary_ko = "2011년부터 친구"
    jiangsu.save()
    r = client.get(_url(jiangsu, "ko"))
    assert "2011년부터 친구" in r.text
    assert "fallback-notice" not in r.text


def test_it_lists_only_languages_with_a_summary_as_alternates(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert r.context["available_languages"] == ["en"]


def test_it_never_shows_internal_notes(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert "May 19" not in r.text


def test_it_answers_404_for_an_unknown_slug(client):
    r = client.get("/en/partnerships/atlantis/")
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("language", "venue"),
    [("en", "Dodamso"), ("ko", "도담소"), ("zh-hans", '<span lang="en">Dodamso</span>')],
)
def test_it_says_where_an_agreement_was_signed(client, jiangsu, language, venue):
    sisterhood = jiangsu.agreements.get(kind=Agreement.Kind.SISTERHOOD)
    sisterhood.venue_en, sisterhood.venue_ko = "Dodamso", "도담소"
    sisterhood.save()
    r = client.get(_url(jiangsu, language))
    notes = re.findall(r'<p class="timeline-notes"><span>(.*?)</span><span>', r.text)
    assert len(notes) == 1
    assert venue in notes[0]
    if language == "en":
        assert notes[0] == "signed at Dodamso"


def test_it_links_its_working_groups(client, jiangsu):
    group = jiangsu.working_groups.get()
    r = client.get(_url(jiangsu))
    assert f'<a href="{group.get_absolute_url()}">Joint working group</a>' in r.text
