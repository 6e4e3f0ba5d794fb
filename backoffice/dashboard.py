"""Selectors for the admin home: the day's work, one query per list."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from core.i18n import missing_in
from core.partial_dates import PartialDate, Precision
from news.models import Article, PendingChange
from relations.models import Exchange, Partnership

# Each list shows at most this many items; the rest are one click away in the change list.
LIMIT = 25
TRANSLATION_LANGUAGES = ("ko", "zh-hans")
ANNIVERSARY_STEP = 5
ANNIVERSARY_WINDOW = datetime.timedelta(days=90)
DORMANT_AFTER_YEARS = 3


def _years_before(date, years):
    """Return the same day `years` earlier; 29 February becomes the 28th."""
    try:
        return date.replace(year=date.year - years)
    except ValueError:
        return date.replace(year=date.year - years, day=28)


def articles_awaiting_review():
    """Articles submitted for review, the longest waiting first."""
    return list(
        Article.objects.filter(status=Article.Status.REVIEW).order_by("updated_at")[:LIMIT]
    )


def articles_scheduled(*, now=None):
    """Published articles whose publish time is still to come, the soonest first."""
    now = now or timezone.now()
    return list(
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now).order_by(
            "publish_at"
        )[:LIMIT]
    )


def pending_changes():
    """Pending changes to published articles, the longest waiting first."""
    return list(
        PendingChange.objects.select_related("article", "author").order_by("updated_at")[:LIMIT]
    )


def articles_missing_translation(*, now=None):
    """Public articles without a Korean or a Chinese title, newest first.

    Each article carries `missing_languages`, the codes of the languages it lacks.
    """
    condition = Q()
    for language in TRANSLATION_LANGUAGES:
        condition |= missing_in("title", language)
    articles = list(Article.objects.public(now).filter(condition)[:LIMIT])
    for article in articles:
        article.missing_languages = [
            code for code in TRANSLATION_LANGUAGES if not article.has_language(code)
        ]
    return articles


def _recent_exchange_q(cutoff):
    """Exchanges that started on or after `cutoff`, read at the precision of their date.

    A start known only to the year counts as recent when its year is the cutoff's year or
    later; one known to the month, when its month is. Undated exchanges never count.
    """
    return (
        Q(starts_on_precision=Precision.DAY, starts_on__gte=cutoff)
        | Q(starts_on_precision=Precision.MONTH, starts_on__gte=cutoff.replace(day=1))
        | Q(starts_on_precision=Precision.YEAR, starts_on__gte=cutoff.replace(month=1, day=1))
    )


def partnerships_dormant_candidates(*, today=None):
    """Active partnerships with no exchange that started in the last three years.

    Each partnership carries `last_exchange` (a PartialDate, or None) and `undated_exchanges`.
    """
    today = today or timezone.localdate()
    cutoff = _years_before(today, DORMANT_AFTER_YEARS)
    exchanges = Exchange.objects.filter(partnership=OuterRef("pk"))
    latest = exchanges.filter(starts_on__isnull=False).order_by("-starts_on")
    partnerships = list(
        Partnership.objects.with_regions()
        .filter(status=Partnership.Status.ACTIVE)
        .exclude(Exists(exchanges.filter(_recent_exchange_q(cutoff))))
        .annotate(
            last_exchange_on=Subquery(latest.values("starts_on")[:1]),
            last_exchange_precision=Subquery(latest.values("starts_on_precision")[:1]),
            undated_exchanges=Count("exchanges", filter=Q(exchanges__starts_on__isnull=True)),
        )[:LIMIT]
    )
    for partnership in partnerships:
        partnership.last_exchange = (
            PartialDate(partnership.last_exchange_on, partnership.last_exchange_precision)
            if partnership.last_exchange_on
            else None
        )
    return partnerships


@dataclass(frozen=True)
class Anniversary:
    partnership: Partnership
    years: int
    date: datetime.date
    precision: str

    @property
    def when(self):
        return PartialDate(self.date, self.precision)


def _anniversary_on(began, year):
    try:
        return began.replace(year=year)
    except ValueError:  # 29 February in a common year
        return began.replace(year=year, day=28)


def partnership_anniversaries(*, today=None):
    """Round anniversaries (5, 10, 15 ... years) of partnerships in the next 90 days.

    A beginning known to the month is taken as the first of that month. One known only to
    the year has no day to count from and is skipped.
    """
    today = today or timezone.localdate()
    end = today + ANNIVERSARY_WINDOW
    partnerships = (
        Partnership.objects.with_regions()
        .exclude(status=Partnership.Status.ENDED)
        .filter(began_on__isnull=False)
        .exclude(began_on_precision=Precision.YEAR)
    )
    found = []
    for partnership in partnerships:
        began = partnership.began_on
        for year in range(today.year, end.year + 1):
            years = year - began.year
            date = _anniversary_on(began, year)
            if years > 0 and years % ANNIVERSARY_STEP == 0 and today <= date <= end:
                found.append(Anniversary(partnership, years, date, partnership.began_on_precision))
    return sorted(found, key=lambda anniversary: anniversary.date)


def dashboard_for(*, user, now=None):
    """Return the dashboard's lists that the user may see, by name."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    lists = {}
    if user.has_perm("news.view_article"):
        lists["review"] = articles_awaiting_review()
        lists["pending"] = pending_changes()
        lists["scheduled"] = articles_scheduled(now=now)
        lists["untranslated"] = articles_missing_translation(now=now)
    if user.has_perm("relations.view_partnership"):
        lists["dormant"] = partnerships_dormant_candidates(today=today)
        lists["anniversaries"] = partnership_anniversaries(today=today)
    return lists
