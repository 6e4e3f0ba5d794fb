"""Pages of the public lists, as quick to read deep in the list as at its start."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, OrderBy, QuerySet
from django.http import Http404
from django.utils.functional import cached_property


def _ends_with_the_key(queryset):
    """Return True if the queryset's order ends with its primary key: a total order."""
    query = queryset.query
    ordering = query.order_by or (query.default_ordering and queryset.model._meta.ordering)
    if not ordering:
        return False
    last = ordering[-1]
    if isinstance(last, OrderBy):
        last = last.expression
    if isinstance(last, F):
        last = last.name
    return isinstance(last, str) and last.lstrip("-") in ("pk", queryset.model._meta.pk.name)


class DeepPaginator(Paginator):
    """A paginator whose last page costs what its first does, and a middle one not much more.

    A page's rows come in two steps that the database takes in one query: the keys of the
    page's rows, read from the index that serves the list's order (skipping index entries,
    not whole rows), then those rows. A page past the middle reads the order backwards: the
    last page skips as few entries as the first. Both steps need a total order, one that
    ends with the primary key; other querysets are sliced as usual.

    With `count_limit`, it counts no further than that: a condition no index answers exactly
    (a search for a word every row contains) would have the database test every row just to
    count them. Past the limit, `capped` is True and the pages hold the first `count_limit`
    rows only; the page says so. With `known_count`, the caller has counted the rows some
    cheaper way (kept counts) and the paginator does not.
    """

    def __init__(self, *args, count_limit=None, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit, self.known_count = count_limit, known_count
        self.capped = False
        # Set by a subclass whose count may be off: the end is then no place to count back from.
        self.estimated = False

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if self.count_limit is None or not isinstance(self.object_list, QuerySet):
            return super().count
        # Any rows will do for the count: no order to follow, no related rows to join.
        rows = self.object_list.order_by().values("pk")
        counted = rows[: self.count_limit + 1].count()
        self.capped = counted > self.count_limit
        return min(counted, self.count_limit)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom, top):
        rows = self.object_list
        # A DISTINCT query selects its order's columns too: its keys are no list of keys.
        if not isinstance(rows, QuerySet) or rows.query.distinct or not _ends_with_the_key(rows):
            return rows[bottom:top]
        keys = rows.values("pk")
        if bottom > self.count - top and not (self.capped or self.estimated):
            keys = keys.reverse()[self.count - top : self.count - bottom]
        else:
            keys = keys[bottom:top]
        return rows.filter(pk__in=keys)


def page_or_404(request, queryset, per_page, count_limit=None, known_count=None):
    """Return the page that `?page=` asks for; a page that does not exist is a 404, never a 500."""
    paginator = DeepPaginator(queryset, per_page, count_limit=count_limit, known_count=known_count)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
