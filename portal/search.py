"""Site search: public news, partnerships, regions and agreements containing the query.

Matching is a plain substring match (`icontains`) over the text in every language. Full-text
search and trigram indexes miss one- and two-character Korean and Chinese queries (장쑤, 江苏),
and many Korean words are two syllables; a substring match finds them and gives the same hits
on SQLite and PostgreSQL for Korean and Chinese, which have no letter case.

Letter case: SQLite's LIKE folds ASCII letters only, while PostgreSQL's `icontains` compares
UPPER() of both sides and so also folds non-ASCII Latin letters ("é" finds "É" on PostgreSQL,
not on SQLite). ASCII queries behave the same on both; the difference for accented Latin
letters is accepted. The ORM escapes `%`, `_` and `\\` in the query: nothing is escaped here.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.i18n import contains_in_any_language, fallback_sql
from news.models import Article
from relations.models import Agreement, Partnership, Region

MAX_QUERY_LENGTH = 100

# The fields searched per kind, each in every language. Agreement.internal_notes is never public
# and so never searched.
ARTICLE_FIELDS = ("title", "summary", "body")
PARTNERSHIP_FIELDS = ("summary", "partner_region__name")
REGION_FIELDS = ("name", "description")
AGREEMENT_FIELDS = ("title", "summary", "venue")


class QueryError(ValueError):
    """A query that cannot be searched; the message is shown to the visitor."""


def normalize_query(raw):
    """Return the query as searched: NFKC, whitespace collapsed, stripped; "" for no search."""
    if "\x00" in raw:
        raise QueryError(_("The search text contains a character that is not allowed."))
    # NFKC so that full-width Latin letters and digits typed with a Korean or Chinese input
    # method (Ｊｉａｎｇｓｕ) match the ordinary ones stored, and composed and decomposed
    # Hangul are the same.
    query = " ".join(unicodedata.normalize("NFKC", raw).split())
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("The search text is too long: at most %(limit)d characters, please.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    return query


@dataclass(frozen=True)
class Hits:
    """The first hits of one kind of record, and how many there are in all."""

    kind: str
    label: str
    items: list
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    news: Hits
    partnerships: Hits
    regions: Hits
    agreements: Hits

    @property
    def groups(self):
        return [self.news, self.partnerships, self.regions, self.agreements]

    @property
    def total(self):
        return sum(group.count for group in self.groups)


def _hits(kind, label, queryset, limit):
    """Run two queries: the first `limit` records and the count of all of them."""
    return Hits(kind, label, list(queryset[:limit]), queryset.count())


def search(*, query, language, limit_per_kind=20):
    """Return the public records containing the normalized query; runs eight queries."""
    articles = Article.objects.public().filter(contains_in_any_language(ARTICLE_FIELDS, query))
    partnerships = (
        Partnership.objects.with_regions()
        .filter(contains_in_any_language(PARTNERSHIP_FIELDS, query))
        .order_by(fallback_sql("partner_region__name", language), "pk")
    )
    regions = Region.objects.filter(contains_in_any_language(REGION_FIELDS, query)).order_by(
        fallback_sql("name", language), "pk"
    )
    agreements = Agreement.objects.select_related("partnership__partner_region").filter(
        contains_in_any_language(AGREEMENT_FIELDS, query)
    )
    return SearchResults(
        query=query,
        news=_hits("news", _("News"), articles, limit_per_kind),
        partnerships=_hits("partnerships", _("Partnerships"), partnerships, limit_per_kind),
        regions=_hits("regions", _("Regions"), regions, limit_per_kind),
        agreements=_hits("agreements", _("Agreements"), agreements, limit_per_kind),
    )
