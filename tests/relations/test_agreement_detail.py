import datetime

import pytest
from django.utils import translation

from relations.models import Agreement, Participation, Side
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _url(agreement, language="en"):
    with translation.override(language):
        return agreement.get_absolute_url()


@pytest.fixture
def sisterhood():
    agreement = AgreementFactory(
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement",
        title_ko="자매결연 협정",
        title_zh_hans="姐妹关系协议",
        summary_en="The provinces become sister regions.",
        venue_en="Dodamso",
        key_commitments_en="Offline exchanges\n\n  Industrial partnership  \nYouth exchanges",
        signed_on=datetime.date(2024, 6, 19),
        valid_until=datetime.date(2029, 6, 18),
        council_approved_on=datetime.date(2024, 5, 30),
        source_url="https://example.org/release",
        internal_notes="The announcement says May 19; keep 19 June.",
        fields=[CooperationFieldFactory(name_en="Tourism", name_ko="관광", slug="tourism")],
    )
    ParticipationFactory(
        agreement=agreement,
        person=PersonFactory(name_en="Dong-yeon Kim", name_ko="김동연"),
        title_en="Governor of Gyeonggi Province",
        title_ko="경기도지사",
    )
    ParticipationFactory(
        agreement=agreement,
        person=PersonFactory(name_en="Xin Changxing"),
        side=Side.PARTNER,
        title_en="Party Secretary of Jiangsu Province",
        order=1,
    )
    ParticipationFactory(
        agreement=agreement,
        person=PersonFactory(name_en="Fang Kun"),
        role=Participation.Role.ATTENDEE,
        side=Side.THIRD_PARTY,
        title_en="Minister of the Chinese Embassy in Korea",
    )
    ParticipationFactory(
        agreement=agreement,
        person=PersonFactory(name_en="Park Jung"),
        role=Participation.Role.WITNESS,
        title_en="",
    )
    return agreement


def test_it_shows_the_agreement(client, sisterhood):
    r = client.get(_url(sisterhood))
    assert r.status_code == 200
    for text in [
        "Sisterhood Agreement",
        "Sisterhood agreement",
        "In force",
        "19 June 2024",
        "Dodamso",
        "18 June 2029",
        "30 May 2024",
        "The provinces become sister regions.",
        "Tourism",
        "https://example.org/release",
        sisterhood.partnership.get_absolute_url(),
    ]:
        assert text in r.text


def test_it_lists_key_commitments_one_per_line(client, sisterhood):
    r = client.get(_url(sisterhood))
    assert r.context["commitments"] == [
        "Offline exchanges",
        "Industrial partnership",
        "Youth exchanges",
    ]
    assert "<li>Industrial partnership</li>" in r.text


def test_it_lists_people_by_role_with_side_and_title(client, sisterhood):
    r = client.get(_url(sisterhood))
    text = r.text
    assert text.index("Signatories") < text.index("Witnesses") < text.index("Attendees")
    assert "Dong-yeon Kim</span>, <span>Governor of Gyeonggi Province</span>" in text
    assert "partner side" in text
    assert "third party" in text
    assert text.index("Dong-yeon Kim") < text.index("Xin Changxing")


@pytest.mark.parametrize(
    ("language", "title", "person", "date"),
    [
        ("en", "Sisterhood Agreement", "Governor of Gyeonggi Province", "19 June 2024"),
        ("ko", "자매결연 협정", "경기도지사", "2024년 6월 19일"),
        ("zh-hans", "姐妹关系协议", "Governor of Gyeonggi Province", "2024年6月19日"),
    ],
)
def test_it_shows_the_visitors_language(client, sisterhood, language, title, person, date):
    r = client.get(_url(sisterhood, language))
    assert f"<h1>{title}</h1>" in r.text
    assert person in r.text
    assert date in r.text
    assert r.context["available_languages"] == ["en", "ko", "zh-hans"]


def test_it_marks_commitments_shown_in_english(client, sisterhood):
    r = client.get(_url(sisterhood, "ko"))
    assert '<ul lang="en">' in r.text
    assert "fallback-notice" in r.text


def test_it_never_shows_internal_notes(client, sisterhood):
    for language in ("en", "ko", "zh-hans"):
        r = client.get(_url(sisterhood, language))
        assert "May 19" not in r.text
        assert "internal" not in r.text.lower()


def test_it_answers_404_for_an_unknown_agreement(client):
    assert client.get("/en/agreements/999999/").status_code == 404
