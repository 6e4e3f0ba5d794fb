"""One record of thousands, typed as its slug or its name: a filter input, not a huge select.

A `Lookup` finds the records a visitor's text may mean, in one query: the record whose slug
it is, then those named exactly that in any language (case aside), then those whose name
contains it. The filter (core.filters.LookupFilter) takes the first kind that has exactly
one record, and otherwise says what the text matches, with links to each candidate; the
list page's script (static/js/lookup.js) offers the same candidates as the visitor types,
from a small JSON endpoint (`suggestions_response`). Without JavaScript the form still
works: type a name, and pick from the links if several records carry it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import JsonResponse
from modeltranslation.utils import build_localized_fieldname

from .i18n import LANGUAGE_CODES

SUGGESTIONS = 10
MAX_LENGTH = 200

EXACT_SLUG, EXACT_NAME, CONTAINS = 0, 1, 2


@dataclass(frozen=True)
class Lookup:
    """Where to look for a record: its queryset, its translated name and how it reads.

    `records` returns the queryset afresh at each use (what it holds may depend on the
    clock); `name` is a translated field, possibly across a relation ("partner_region__name");
    `label` turns a record into the line a visitor chooses from.
    """

    records: Callable[[], QuerySet]
    name: str
    label: Callable[[object], str]
    slug: str = "slug"

    def _names(self, lookup, text):
        found = Q()
        for code in LANGUAGE_CODES:
            found |= Q(**{f"{build_localized_fieldname(self.name, code)}__{lookup}": text})
        return found

    def candidates(self, text, limit=SUGGESTIONS + 1):
        """Return up to `limit` records the text may mean, the closest first.

        Each carries `match`: EXACT_SLUG, EXACT_NAME or CONTAINS. Runs one query.
        """
        exact_slug = Q(**{self.slug: text})
        exact_name = self._names("iexact", text)
        match = Case(
            When(exact_slug, then=Value(EXACT_SLUG)),
            When(exact_name, then=Value(EXACT_NAME)),
            default=Value(CONTAINS),
            output_field=IntegerField(),
        )
        records = self.records().filter(exact_slug | self._names("icontains", text))
        return list(records.annotate(match=match).order_by("match", *self._order())[:limit])

    def _order(self):
        return [build_localized_fieldname(self.name, LANGUAGE_CODES[0]), self.slug]

    def find(self, text):
        """Return (the record the text means or None, the candidates when it is not clear).

        Runs one query when the text is a record's slug, as in the links the pages give,
        read from the slug's index; else two. The names are compared with every record's,
        which at a national registry's size costs several times the slug's query.
        """
        by_slug = list(self.records().filter(**{self.slug: text})[:2])
        if len(by_slug) == 1:
            return by_slug[0], []
        candidates = self.candidates(text)
        for kind in (EXACT_SLUG, EXACT_NAME, CONTAINS):
            of_kind = [record for record in candidates if record.match == kind]
            if len(of_kind) == 1:
                return of_kind[0], []
            if of_kind:
                return None, of_kind[:SUGGESTIONS]
        return None, []

    def slug_of(self, record):
        return getattr(record, self.slug)


def suggestions_response(request, lookup):
    """Answer `?q=` with the records it may mean, as JSON: {"results": [{value, label}]}."""
    text = request.GET.get("q", "").strip()[:MAX_LENGTH].replace("\x00", "")
    found = lookup.candidates(text, SUGGESTIONS) if text else []
    results = [
        {"value": lookup.slug_of(record), "label": lookup.label(record)} for record in found
    ]
    return JsonResponse({"results": results})
