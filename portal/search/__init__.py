"""Site search: public news, partnerships, regions and agreements containing the query.

Matching is a plain substring match over the text in every language, as `icontains` over the
fields: full-text search would miss one- and two-character Korean and Chinese queries (장쑤,
江苏). It reads a copy of the searched text, one narrow table per kind that database triggers
keep in step with the records (models.py, documents.py, triggers.py), indexed on PostgreSQL
so that one- and two-character queries are found through the index too (backends.py).

Letter case: SQLite's LIKE folds ASCII letters only, while PostgreSQL's `icontains` compares
UPPER() of both sides and so also folds non-ASCII Latin letters ("é" finds "É" on PostgreSQL,
not on SQLite). The stored text follows each database's own `icontains`; the difference for
accented Latin letters is accepted.

Each kind shows its first hits and how many there are, counted up to COUNT_LIMIT: a common
letter is in nearly every one of 100,000 agreements, and counting them all would cost more
than the rest of the search. Beyond the limit the page says "more than"; the first hits are
the first of all, in each kind's order, however many there are.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from core.i18n import fallback_sql
from news.models import Article, ArticleQuerySet
from relations.models import Agreement, Partnership, Region

from .backends import Ids
from .documents import SOURCES, Source

MAX_QUERY_LENGTH = 100
COUNT_LIMIT = 200


class QueryError(ValueError):
    """A query that cannot be searched; the message is shown to the visitor."""


def normalize_query(raw):
    """Return the query as searched: NFKC, whitespace collapsed, stripped; "" for no search."""
    # Control characters: NUL cannot be stored, and the others mark text in the index.
    if any(unicodedata.category(char) == "Cc" and not char.isspace() for char in raw):
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
    """The first hits of one kind of record, and how many there are (at least, if `more`)."""

    kind: str
    label: str
    items: list
    count: int
    more: bool = False


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

    @property
    def more(self):
        """True when a kind has more hits than were counted: the total is a lower bound."""
        return any(group.more for group in self.groups)


@dataclass(frozen=True)
class Kind:
    """A kind of record as the search lists it.

    `records(language)` is the queryset of the records as listed, in their order. `shown`
    narrows the text table to the records `records` lists (articles: the public ones), and
    `newest_first` orders it as `records` orders the records, where that order is kept there:
    100,000 hits cannot be sorted on each search.
    """

    name: str
    label: str
    source: Source
    records: Callable[[str], QuerySet]
    shown: Callable[[QuerySet], QuerySet] = lambda texts: texts
    newest_first: tuple = ()

    def matching(self, query):
        return self.shown(self.source.table.objects.containing(query))

    def hit_ids(self, query, limit):
        """Return the ids of up to `limit` hits, in no order. Runs one query."""
        hits = self.matching(query).order_by().values_list("record_id")
        connection = connections[hits.db]
        whole = self.source.table.plan_every_hit and connection.vendor == "postgresql"
        if not whole:
            hits = hits[:limit]
        sql, params = hits.query.get_compiler(using=hits.db).as_sql()
        if whole:
            # Planned for every hit, read only up to the limit: a materialized CTE is read
            # as its rows are asked for.
            sql = f"WITH hits AS MATERIALIZED ({sql}) SELECT * FROM hits LIMIT {int(limit)}"
        # Read straight from the cursor: the ORM's iterator costs a microsecond or two a row,
        # and a common letter brings a thousand rows of each kind.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def first(self, query, language, limit, ids):
        """Return the first hits; `ids` are all the hits' ids, or None if there are more.

        Runs one query. Where the text table keeps the order, the first ids are read from
        it, newest first; else the records are read in their order (partnerships and
        regions from the regions' name index) among the hits.
        """
        if ids is None and self.newest_first:
            hits = self.matching(query).order_by(*self.newest_first).values("record_id")[:limit]
        else:
            hits = self.matching(query).values("record_id") if ids is None else Ids(ids)
        return list(self.records(language).filter(pk__in=hits)[:limit])


NEWEST_FIRST = (F("record_id").desc(),)
ARTICLE_BODIES = ("body", "body_html", *get_translation_fields("body", "body_html"))
KINDS = (
    Kind(
        "news",
        _("News"),
        SOURCES["news"],
        # The hits show titles and summaries: the bodies, in every language, stay behind.
        lambda language: Article.objects.public().defer(*ARTICLE_BODIES),
        # The one rule of what is public, applied to the copies of the two columns it reads.
        shown=ArticleQuerySet.public,
        newest_first=(F("publish_at").desc(nulls_last=True), *NEWEST_FIRST),
    ),
    Kind(
        "partnerships",
        _("Partnerships"),
        SOURCES["partnerships"],
        lambda language: Partnership.objects.with_regions().order_by(
            fallback_sql("partner_region__name", language), "pk"
        ),
    ),
    Kind(
        "regions",
        _("Regions"),
        SOURCES["regions"],
        lambda language: Region.objects.order_by(fallback_sql("name", language), "pk"),
    ),
    Kind(
        "agreements",
        _("Agreements"),
        SOURCES["agreements"],
        lambda language: Agreement.objects.select_related("partnership__partner_region"),
        newest_first=(F("signed_on").desc(nulls_last=True), *NEWEST_FIRST),
    ),
)


def _hits(kind, query, language, limit):
    """Run two queries: the ids of the hits, up to one past the limit, then the first hits."""
    ids = kind.hit_ids(query, COUNT_LIMIT + 1)
    more = len(ids) > COUNT_LIMIT
    limit = min(limit, COUNT_LIMIT)
    items = kind.first(query, language, limit, None if more else ids) if ids else []
    return Hits(kind.name, kind.label, items, min(len(ids), COUNT_LIMIT), more)


# Ten hits of each kind, as a search engine's first page shows: the rest are for a longer
# query. Twenty cost a one- or two-letter search ~15 ms more to fetch and render.
HITS_PER_KIND = 10


def search(*, query, language, limit_per_kind=HITS_PER_KIND):
    """Return the public records containing the normalized query.

    Runs one query per kind, and a second for each kind with hits: at most eight.
    """
    groups = [_hits(kind, query, language, limit_per_kind) for kind in KINDS]
    return SearchResults(query, *groups)
