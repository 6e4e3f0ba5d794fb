"""A partnership's timeline, derived from its records: never typed twice.

Each source names the relations it needs prefetched and turns one partnership into
entries; `SOURCES` lists them. A later source (news articles linked to a partnership)
adds its own `Source` to the list.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.i18n import Translated, choice_labels, translated
from core.partial_dates import PartialDate, Precision

from .models import Agreement, Exchange, Level, Participation
from .services import partnership_level_history


@dataclass(frozen=True)
class Entry:
    """One event of a partnership's history, ready to render."""

    kind: str  # stable code for styling: agreement, working_group, meeting, exchange
    label: str  # translated kind, e.g. "sisterhood agreement"
    date: PartialDate
    title: Translated
    url: str = ""
    notes: tuple[str, ...] = ()  # short translated details: "planned", "outbound"
    callout: str = ""  # e.g. "Level raised to sisterhood"
    participations: tuple = ()
    venue: Translated | None = None  # where an agreement was signed
    order: int = 0  # keeps entries of the same date in a stable order

    def sort_key(self):
        return (*self.date.sort_key(), self.order)


@dataclass(frozen=True)
class YearGroup:
    year: int | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self):
        if self.year is None:
            return _("date not recorded")
        return str(PartialDate(datetime.date(self.year, 1, 1), Precision.YEAR))


@dataclass(frozen=True)
class Source:
    prefetch: tuple
    entries: Callable[..., Iterable[Entry]]


_ROLE_RANK = {role: rank for rank, role in enumerate(Participation.Role)}


def _role_rank(participation):
    """Signatories first, then witnesses, then attendees; each in the order staff set."""
    return (_ROLE_RANK[participation.role], participation.order, participation.pk)


def agreement_entries(partnership):
    kinds, statuses = choice_labels(Agreement.Kind), choice_labels(Agreement.Status)
    agreements = list(partnership.agreements.all())
    raised = partnership_level_history(agreements=agreements)
    callouts = {}
    for index, agreement in enumerate(raised):
        level = Level(agreement.sets_level).label
        text = _("Level set to %(level)s") if index == 0 else _("Level raised to %(level)s")
        callouts[agreement.pk] = text % {"level": level}
    for agreement in agreements:
        venue = translated(agreement, "venue")
        yield Entry(
            kind="agreement",
            label=kinds.get(agreement.kind, agreement.kind),
            date=agreement.signed,
            title=translated(agreement, "title"),
            url=agreement.get_absolute_url(),
            notes=(statuses.get(agreement.status, agreement.status),),
            callout=callouts.get(agreement.pk, ""),
            participations=tuple(sorted(agreement.participations.all(), key=_role_rank)),
            venue=venue if venue.text else None,
            order=1,
        )


def working_group_entries(partnership):
    for group in partnership.working_groups.all():
        name, url = translated(group, "name"), group.get_absolute_url()
        yield Entry(
            kind="working_group",
            label=_("working group set up"),
            date=group.established,
            title=name,
            url=url,
            notes=(group.get_status_display(),),
            order=2,
        )
        for meeting in group.meetings.all():
            place = translated(meeting, "place").text
            yield Entry(
                kind="meeting",
                label=_("working group meeting"),
                date=meeting.held,
                title=name,
                url=url,
                notes=(place,) if place else (),
                order=3,
            )


def exchange_entries(partnership):
    kinds, directions = choice_labels(Exchange.Kind), choice_labels(Exchange.Direction)
    for exchange in partnership.exchanges.all():
        notes = [directions.get(exchange.direction, exchange.direction)]
        if exchange.participants:
            notes.append(_("%(count)s participants") % {"count": exchange.participants})
        yield Entry(
            kind="exchange",
            label=kinds.get(exchange.kind, exchange.kind),
            date=exchange.starts,
            title=translated(exchange, "title"),
            notes=tuple(notes),
            order=4,
        )


SOURCES = [
    Source(
        prefetch=(
            "agreements",
            Prefetch(
                "agreements__participations",
                queryset=Participation.objects.select_related("person"),
            ),
        ),
        entries=agreement_entries,
    ),
    Source(prefetch=("working_groups", "working_groups__meetings"), entries=working_group_entries),
    Source(prefetch=("exchanges",), entries=exchange_entries),
]


def with_timeline(queryset):
    """Prefetch what the timeline of each partnership in the queryset reads."""
    return queryset.prefetch_related(*(lookup for s in SOURCES for lookup in s.prefetch))


# Entries a page of a partnership's timeline shows at most, in whole years: the largest
# partnership of a national registry has hundreds, which took longer to render than the
# rest of its page.
TIMELINE_PAGE_ENTRIES = 60


def timeline_pages(groups, size=TIMELINE_PAGE_ENTRIES):
    """Return the year groups as pages, the newest years first: each page holds whole years,
    at most `size` entries, or one year that alone has more. The undated entries go with
    the newest years, as they come last."""
    pages, page, count = [], [], 0
    for group in reversed(groups):
        if page and count + len(group.entries) > size:
            pages.append(page[::-1])
            page, count = [], 0
        page.append(group)
        count += len(group.entries)
    return [*pages, page[::-1]] if page else pages or [[]]


def partnership_timeline(*, partnership, sources=None):
    """Return the partnership's entries in date order, grouped by year; unknown dates last.

    Reads only prefetched relations (see `with_timeline`), so it runs no query of its own.
    """
    entries = [entry for source in sources or SOURCES for entry in source.entries(partnership)]
    entries.sort(key=Entry.sort_key)
    return [
        YearGroup(year, list(group)) for year, group in groupby(entries, key=lambda e: e.date.year)
    ]
