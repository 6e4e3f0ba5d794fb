import datetime

import pytest
import reversion
from reversion.models import Version

from core.partial_dates import Precision
from relations.models import Agreement, Level, Partnership
from relations.services import partnership_level_history
from tests.factories import AgreementFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _sign(partnership, kind, date, precision=Precision.DAY, **kwargs):
    return AgreementFactory(
        partnership=partnership, kind=kind, signed_on=date, signed_on_precision=precision, **kwargs
    )


@pytest.fixture
def partnership():
    return PartnershipFactory()


@pytest.fixture
def sisterhood(partnership):
    _sign(partnership, Agreement.Kind.FRIENDSHIP, datetime.date(2011, 1, 1), Precision.YEAR)
    return _sign(partnership, Agreement.Kind.SISTERHOOD, datetime.date(2024, 6, 19))


def test_it_has_no_level_without_agreements(partnership):
    partnership.refresh_from_db()
    assert partnership.level == ""
    assert partnership.began_on is None


def test_it_raises_friendship_to_sisterhood(partnership, sisterhood):
    partnership.refresh_from_db()
    assert partnership.level == Level.SISTERHOOD


def test_it_keeps_sisterhood_after_a_later_cooperation_agreement(partnership, sisterhood):
    _sign(partnership, Agreement.Kind.COOPERATION, datetime.date(2025, 1, 1))
    partnership.refresh_from_db()
    assert partnership.level == Level.SISTERHOOD


def test_it_lowers_the_level_when_the_sisterhood_agreement_is_terminated(partnership, sisterhood):
    sisterhood.status = Agreement.Status.TERMINATED
    sisterhood.save()
    partnership.refresh_from_db()
    assert partnership.level == Level.FRIENDSHIP


def test_it_lowers_the_level_when_the_sisterhood_agreement_is_deleted(partnership, sisterhood):
    sisterhood.delete()
    partnership.refresh_from_db()
    assert partnership.level == Level.FRIENDSHIP


def test_it_refreshes_both_partnerships_when_an_agreement_moves(partnership, sisterhood):
    other = PartnershipFactory()
    moved = Agreement.objects.get(pk=sisterhood.pk)
    moved.partnership = other
    moved.save()
    partnership.refresh_from_db()
    other.refresh_from_db()
    assert partnership.level == Level.FRIENDSHIP
    assert other.level == Level.SISTERHOOD
    assert other.began == moved.signed


def test_it_refreshes_both_partnerships_when_a_revert_moves_an_agreement_back(
    partnership, sisterhood
):
    with reversion.create_revision():
        sisterhood.save()
    other = PartnershipFactory()
    moved = Agreement.objects.get(pk=sisterhood.pk)
    moved.partnership = other
    moved.save()
    Version.objects.get_for_object(sisterhood).get().revert()  # a raw save, as the admin's
    partnership.refresh_from_db()
    other.refresh_from_db()
    assert (partnership.level, other.level) == (Level.SISTERHOOD, "")


def test_it_recomputes_a_reverted_partnership_from_its_agreements_as_they_are_now(
    partnership, sisterhood
):
    with reversion.create_revision():
        Partnership.objects.get(pk=partnership.pk).save()
    sisterhood.status = Agreement.Status.TERMINATED
    sisterhood.save()
    Version.objects.get_for_object(partnership).get().revert()  # its version says sisterhood
    partnership.refresh_from_db()
    assert partnership.level == Level.FRIENDSHIP


def test_it_begins_at_the_earliest_agreement_with_its_precision(partnership, sisterhood):
    partnership.refresh_from_db()
    assert partnership.began_on == datetime.date(2011, 1, 1)
    assert partnership.began_on_precision == Precision.YEAR
    assert str(partnership.began) == "2011"


def test_it_lists_the_agreements_that_first_raised_the_level(partnership, sisterhood):
    _sign(partnership, Agreement.Kind.COOPERATION, datetime.date(2000, 1, 1), Precision.YEAR)
    _sign(partnership, Agreement.Kind.FRIENDSHIP, datetime.date(2015, 3, 1))
    history = partnership_level_history(agreements=partnership.agreements.all())
    assert [(a.sets_level, a.signed.year) for a in history] == [
        (Level.COOPERATION, 2000),
        (Level.FRIENDSHIP, 2011),
        (Level.SISTERHOOD, 2024),
    ]


def test_it_leaves_terminated_agreements_out_of_the_history(partnership, sisterhood):
    sisterhood.status = Agreement.Status.TERMINATED
    sisterhood.save()
    history = partnership_level_history(agreements=partnership.agreements.all())
    assert [a.sets_level for a in history] == [Level.FRIENDSHIP]
