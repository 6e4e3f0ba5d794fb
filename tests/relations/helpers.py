"""Richer test data for the public relations pages, built from tests/factories.py."""

import datetime

from core.partial_dates import Precision
from relations.models import Agreement, Participation, Side
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    ExchangeFactory,
    MeetingFactory,
    ParticipationFactory,
    PartnershipFactory,
    WorkingGroupFactory,
    WorkingGroupMemberFactory,
)


def agreement_with_people(**kwargs):
    """Return an agreement with a signatory on each side, an attendee and two fields."""
    agreement = AgreementFactory(
        fields=[CooperationFieldFactory(), CooperationFieldFactory()], **kwargs
    )
    ParticipationFactory(agreement=agreement, side=Side.HOME)
    ParticipationFactory(agreement=agreement, side=Side.PARTNER, order=1)
    ParticipationFactory(
        agreement=agreement, role=Participation.Role.ATTENDEE, side=Side.THIRD_PARTY
    )
    return agreement


def partnership_with_records(**kwargs):
    """Return a partnership with agreements, exchanges and a working group with meetings."""
    partnership = PartnershipFactory(**kwargs)
    agreement_with_people(
        partnership=partnership,
        kind=Agreement.Kind.FRIENDSHIP,
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )
    agreement_with_people(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        signed_on=datetime.date(2024, 6, 19),
    )
    group = WorkingGroupFactory(partnership=partnership)
    WorkingGroupMemberFactory(group=group)
    WorkingGroupMemberFactory(group=group, side=Side.PARTNER)
    MeetingFactory(group=group)
    MeetingFactory(group=group, held_on=datetime.date(2025, 9, 1))
    ExchangeFactory(partnership=partnership)
    ExchangeFactory(partnership=partnership, starts_on=datetime.date(2019, 4, 1))
    return partnership
