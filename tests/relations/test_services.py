import datetime
import random

import pytest
import reversion
from reversion.models import Version

from core.partial_dates import Precision
from relations.models import Agreement, Level, Partnership
from relations.services import partnership_level_history, partnership_refresh
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


def test_a_refresh_stores_what_the_history_and_the_dates_say():
    # Many partnerships of mixed agreements, refreshed at once from the database's sums:
    # the level is the history's last, the beginning the earliest date and its precision.
    rng = random.Random(7)
    partnerships = PartnershipFactory.create_batch(12)
    for partnership in partnerships[1:]:
        for _ in range(rng.randint(1, 6)):
            date = rng.choice([None, datetime.date(2010 + rng.randint(0, 3), 1, 1)])
            _sign(
                partnership,
                rng.choice(list(Agreement.Kind)),
                date,
                rng.choice(list(Precision)),
                status=rng.choice(list(Agreement.Status)),
            )
    ids = [p.pk for p in partnerships]
    Partnership.objects.filter(pk__in=ids).update(level="", began_on=None, agreement_count=0)
    partnership_refresh(partnership_ids=ids)
    for partnership in Partnership.objects.filter(pk__in=ids):
        agreements = list(partnership.agreements.all())
        history = partnership_level_history(agreements=agreements)
        dated = sorted((a.signed_on, a.signed_on_precision) for a in agreements if a.signed_on)
        first = dated[0] if dated else (None, Precision.DAY)
        assert partnership.level == (history[-1].sets_level if history else "")
        assert (partnership.began_on, partnership.began_on_precision) == first
        assert partnership.agreement_count == len(agreements)
    assert len({p.level for p in Partnership.objects.filter(pk__in=ids)}) == 4
