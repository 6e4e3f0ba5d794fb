"""The parts of a record (an agreement's participations, a working group's members and
meetings) have no delete receiver, so that they go in bulk with the record; their own deletes,
in the shell or a script as much as in the admin, still show on the very next request."""

import pytest
from django.db.models.deletion import Collector

from relations.models import Meeting, Participation, WorkingGroupMember
from tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db


def test_deleting_a_participation_shows_at_once(client):
    participation = ParticipationFactory(person=PersonFactory(name_en="Kim Dong-yeon"))
    url = participation.agreement.get_absolute_url()
    assert "Kim Dong-yeon" in client.get(url).content.decode()

    participation.delete()

    assert "Kim Dong-yeon" not in client.get(url).content.decode()


def test_deleting_members_through_a_queryset_shows_at_once(client):
    member = WorkingGroupMemberFactory(person=PersonFactory(name_en="Li Wei"))
    url = member.group.get_absolute_url()
    assert "Li Wei" in client.get(url).content.decode()

    member.group.members.all().delete()

    assert "Li Wei" not in client.get(url).content.decode()


def test_deleting_a_meeting_shows_at_once(client):
    meeting = MeetingFactory(place_en="Nanjing International Expo Centre")
    url = meeting.group.get_absolute_url()
    assert "Nanjing International Expo Centre" in client.get(url).content.decode()

    Meeting.objects.filter(pk=meeting.pk).delete()

    assert "Nanjing International Expo Centre" not in client.get(url).content.decode()


@pytest.mark.parametrize("model", [Participation, WorkingGroupMember, Meeting])
def test_parts_still_go_in_bulk_with_their_record(model):
    assert Collector(using="default").can_fast_delete(model.objects.all())
