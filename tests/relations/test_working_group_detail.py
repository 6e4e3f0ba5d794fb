import datetime

import pytest
from django.test import Client
from django.utils import translation

from core.partial_dates import Precision
from relations.models import Side, WorkingGroup, WorkingGroupMember
from tests.factories import (
    CooperationFieldFactory,
    MeetingFactory,
    PartnershipFactory,
    PersonFactory,
    RegionFactory,
    WorkingGroupFactory,
    WorkingGroupMemberFactory,
)

from .admin_posts import admin_url, management_form, working_group_data

pytestmark = pytest.mark.django_db


def _url(group, language="en"):
    with translation.override(language):
        return group.get_absolute_url()


@pytest.fixture
def group():
    partnership = PartnershipFactory(
        partner_region=RegionFactory(
            name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
        )
    )
    group = WorkingGroupFactory(
        partnership=partnership,
        name_en="Joint working group on semiconductors",
        name_ko="반도체 공동 실무단",
        name_zh_hans="半导体联合工作组",
        mandate_en="Industrial partnership in semiconductors.",
        status=WorkingGroup.Status.ACTIVE,
        established_on=datetime.date(2024, 6, 1),
        established_on_precision=Precision.MONTH,
    )
    group.fields.add(CooperationFieldFactory(name_en="Semiconductors", name_ko="반도체"))
    WorkingGroupMemberFactory(
        group=group,
        person=PersonFactory(name_en="Lee Soo-il", name_ko="이수일"),
        role=WorkingGroupMember.Role.MEMBER,
    )
    WorkingGroupMemberFactory(
        group=group,
        person=PersonFactory(name_en="Xin Changxing", name_ko="신창싱", name_zh_hans="信长星"),
        side=Side.PARTNER,
        role=WorkingGroupMember.Role.CO_CHAIR,
    )
    WorkingGroupMemberFactory(
        group=group, person=PersonFactory(name_en="Dong-yeon Kim"), role="chair"
    )
    MeetingFactory(
        group=group, held_on=datetime.date(2024, 11, 5), place_en="Nanjing", place_ko="난징"
    )
    MeetingFactory(
        group=group,
        held_on=datetime.date(2025, 3, 4),
        place_en="Dodamso, Suwon",
        summary_en="Second meeting.",
    )
    return group


def _members(html):
    """Return the member rows' text: name, role and side, in the page's order."""
    members = html[html.index('id="members-heading"') : html.index('id="meetings-heading"')]
    return [
        " ".join(row.split())
        for row in members.split("<tr>")[2:]  # the first is the header's
    ]


def test_it_shows_the_group(client, group):
    r = client.get(_url(group))
    assert r.status_code == 200
    for text in [
        "<h1>Joint working group on semiconductors</h1>",
        "Industrial partnership in semiconductors.",
        "Active",
        '<time datetime="2024-06">June 2024</time>',
        "Semiconductors",
        f'<a href="{group.partnership.get_absolute_url()}">Gyeonggi Province and Jiangsu Province',
    ]:
        assert text in r.text


def test_it_lists_members_chairs_first_with_their_roles_and_sides(client, group):
    rows = _members(client.get(_url(group)).text)
    expected = [
        ("Dong-yeon Kim", "Chair", "Gyeonggi Province"),
        ("Xin Changxing", "Co-chair", "Jiangsu Province"),
        ("Lee Soo-il", "Member", "Gyeonggi Province"),
    ]
    assert len(rows) == len(expected)
    for row, texts in zip(rows, expected, strict=True):
        assert all(text in row for text in texts), row


def test_it_lists_meetings_with_their_dates_and_places(client, group):
    r = client.get(_url(group))
    nanjing = r.text.index('<time datetime="2024-11-05">5 November 2024</time>')
    suwon = r.text.index('<time datetime="2025-03-04">4 March 2025</time>')
    assert nanjing < r.text.index("Nanjing") < suwon < r.text.index("Dodamso, Suwon")
    assert "Second meeting." in r.text


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "ko",
            ["<h1>반도체 공동 실무단</h1>", "이수일", "신창싱", "장쑤성", "난징", "2024년 6월"],
        ),
        ("zh-hans", ["<h1>半导体联合工作组</h1>", "信长星", "江苏省", "2024年6月"]),
    ],
)
def test_it_shows_the_group_in_the_visitors_language(client, group, language, texts):
    r = client.get(_url(group, language))
    for text in texts:
        assert text in r.text
    assert r.context["available_languages"] == ["en", "ko", "zh-hans"]


def test_it_marks_text_shown_in_english(client, group):
    r = client.get(_url(group, "zh-hans"))
    assert '<div lang="en"><p>Industrial partnership in semiconductors.</p></div>' in r.text
    assert "fallback-notice" in r.text
    assert '<span lang="en">Nanjing</span>' in r.text
    assert '<span lang="en">Lee Soo-il</span>' in r.text


def test_it_says_when_nothing_is_recorded(client):
    group = WorkingGroupFactory(name_en="Planned group")
    r = client.get(_url(group))
    assert "No members have been recorded yet." in r.text
    assert "No meetings have been recorded yet." in r.text
    assert "date not recorded" in r.text


@pytest.mark.parametrize("path", ["/en/working-groups/999999/", "/ko/working-groups/abc/"])
def test_it_answers_404_for_an_unknown_group(client, path):
    assert client.get(path).status_code == 404


def test_the_partnership_page_links_to_it(client, group):
    r = client.get(group.partnership.get_absolute_url())
    assert r.text.count(f'href="{_url(group)}"') == 4  # the list, the set-up and two meetings


def test_it_shows_an_edit_on_the_next_request(client, group, django_assert_num_queries):
    client.get(_url(group))
    with django_assert_num_queries(0):  # the page is cached ...
        client.get(_url(group))

    MeetingFactory(group=group, held_on=datetime.date(2025, 9, 1), place_en="Shenyang")
    r = client.get(_url(group))

    assert "Shenyang" in r.text  # ... and a new meeting shows at once


def test_it_shows_a_renamed_member_at_once(client, group):
    client.get(_url(group))
    person = group.members.get(role="chair").person
    person.name_en = "Kim Dong-yeon"
    person.save()
    assert "Kim Dong-yeon" in client.get(_url(group)).text


def test_it_forgets_a_meeting_deleted_in_the_admin_at_once(admin_client, group):
    visitor = Client()
    assert "Nanjing" in visitor.get(_url(group)).text
    meetings = list(group.meetings.order_by("held_on"))
    data = working_group_data(
        partnership=group.partnership,
        name_en=group.name_en,
        status=group.status,
        established_on="2024-06-01",
        established_on_precision="month",
        **management_form("meetings", total=2, initial=2),
        **{"fields": [str(field.pk) for field in group.fields.all()]},
    )
    for index, meeting in enumerate(meetings):
        data |= {
            f"meetings-{index}-id": str(meeting.pk),
            f"meetings-{index}-group": str(group.pk),
            f"meetings-{index}-held_on": meeting.held_on.isoformat(),
            f"meetings-{index}-place_en": meeting.place_en,
        }
    data["meetings-0-DELETE"] = "on"
    data |= _member_rows(group)

    r = admin_client.post(admin_url(WorkingGroup, "change", group.pk), data)

    assert r.status_code == 302
    assert "Nanjing" not in visitor.get(_url(group)).text


def _member_rows(group):
    members = list(group.members.all())
    data = management_form("members", total=len(members), initial=len(members))
    for index, member in enumerate(members):
        data |= {
            f"members-{index}-id": str(member.pk),
            f"members-{index}-group": str(group.pk),
            f"members-{index}-person": str(member.person_id),
            f"members-{index}-side": member.side,
            f"members-{index}-role": member.role,
        }
    return data
