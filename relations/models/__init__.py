"""The records of the international relations office, one module per kind of record."""

# In the order the models were defined when this was one module: the order of the app's
# models (apps.get_models(), dumps and backups) stays the same.
from .regions import CooperationField, Region, RegionQuerySet  # noqa: I001
from .partnerships import Level, Partnership, PartnershipQuerySet
from .agreements import Agreement, AgreementQuerySet
from .people import Participation, Person, Side
from .working_groups import Meeting, WorkingGroup, WorkingGroupMember
from .exchanges import Exchange

__all__ = [
    "Agreement",
    "AgreementQuerySet",
    "CooperationField",
    "Exchange",
    "Level",
    "Meeting",
    "Participation",
    "Partnership",
    "PartnershipQuerySet",
    "Person",
    "Region",
    "RegionQuerySet",
    "Side",
    "WorkingGroup",
    "WorkingGroupMember",
]
