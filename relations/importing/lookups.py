"""What the rows refer to: regions, fields, people, partnerships and the agreements to update,
each loaded in a number of queries that does not grow with the rows."""

from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from core.batching import batched
from core.bulk import plain_queryset
from core.i18n import LANGUAGE_CODES, translated

from ..models import Agreement, CooperationField, Participation, Partnership, Person, Region, Side
from .parse import id_or_none, name_candidates, signatory_items

# Ids or names per lookup query: well under the databases' limits on query parameters.
LOOKUP_BATCH = 1000
NAMES_BATCH = 300  # names per query, each looked up in every language
SIGNATORY = Participation.Role.SIGNATORY


def _by_text(objects, field_name, *, slug=False):
    """Return {text: [objects]} over the field in every language (and the slug)."""
    found = defaultdict(list)
    for obj in objects:
        texts = {getattr(obj, build_localized_fieldname(field_name, c)) for c in LANGUAGE_CODES}
        if slug:
            texts.add(obj.slug)
        for text in texts - {None, ""}:
            found[text].append(obj)
    return found


def _by_id(by_text):
    return {obj.pk: obj for found in by_text.values() for obj in found}


def _names_query(field_name, names):
    query = Q()
    for code in LANGUAGE_CODES:
        query |= Q(**{f"{build_localized_fieldname(field_name, code)}__in": names})
    return query


def _choices_lookup(choices):
    """Return {casefolded code or label in any language: code}."""
    lookup = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for code, label in choices:
                lookup[str(label).casefold()] = code
    lookup.update({code.casefold(): code for code, _label in choices})
    return lookup


@dataclass(frozen=True)
class Signed:
    """A signatory of an agreement as it is stored: whom, for which side, what title."""

    person_id: int
    side: str
    titles: dict  # {title_en: ..., title_ko: ..., title_zh_hans: ...}

    def title(self, language):
        """Return the title in the language, with the site's fallback to the others."""
        return translated(SimpleNamespace(**self.titles), "title", language).text


class Lookups:
    """Everything the rows name, loaded in a number of queries that does not grow per row."""

    def __init__(self, rows):
        self.home = Region.objects.home().first()
        self.regions = _by_text(Region.objects.all(), "name", slug=True)
        self.fields = _by_text(CooperationField.objects.all(), "name", slug=True)
        self.region_by_id = _by_id(self.regions)
        self.field_by_id = _by_id(self.fields)
        self.people = _people(rows)
        self.partnership_by_id = Partnership.objects.in_bulk()
        self.partnerships = {
            p.partner_region_id: p
            for p in self.partnership_by_id.values()
            if self.home is not None and p.home_region_id == self.home.pk
        }
        self.new_partnerships = {}  # partner region id: (unsaved Partnership, [rows])
        self.agreements = _agreements(rows)
        self.fields_of, self.signatories_of = _links(self.agreements)
        self.person_by_id = self._all_people()
        self.sides = self._last_sides()
        self.kinds = _choices_lookup(Agreement.Kind.choices)
        self.statuses = _choices_lookup(Agreement.Status.choices)

    def _all_people(self):
        """Return {id: person} of the people the file names and of today's signatories."""
        people = {p.pk: p for found in self.people.values() for p in found}
        missing = {s.person_id for found in self.signatories_of.values() for s in found}
        for chunk in batched(missing - set(people), LOOKUP_BATCH):
            people.update(Person.objects.in_bulk(chunk))
        return people

    def side_for(self, person, position):
        """Place a new signatory: on the side they last signed for, else the first listed
        on the home side and the others on the partner side."""
        return self.sides.get(person.pk) or (Side.HOME if position == 0 else Side.PARTNER)

    def _last_sides(self):
        """Return {person id: the side they last signed for}, to place new signatories."""
        people = {p.pk for found in self.people.values() for p in found}
        sides = {}
        for chunk in batched(people, LOOKUP_BATCH):
            participations = plain_queryset(Participation.objects.all()).filter(
                person__in=chunk, role=SIGNATORY
            )
            sides.update(participations.order_by("pk").values_list("person_id", "side"))
        return sides

    def partner_of(self, partnership_id):
        """Return the partner region of a partnership that exists."""
        partnership = self.partnership_by_id[partnership_id]
        return self.region_by_id[partnership.partner_region_id]


def _people(rows):
    names = {
        name
        for _line, row in rows
        for item in signatory_items(row.get("signatories", ""))
        for name, _title in name_candidates(item)
        if "\0" not in name  # PostgreSQL refuses it even in a query; the row reports it
    }
    people = []
    for chunk in batched(names, NAMES_BATCH):
        people += Person.objects.filter(_names_query("name", chunk))
    return _by_text(people, "name")


def _agreements(rows):
    ids = {id_or_none(row.get("id", "")) for _line, row in rows} - {None}
    found = {}
    for chunk in batched(ids, LOOKUP_BATCH):
        found.update(Agreement.objects.in_bulk(chunk))
    return found


def _links(agreements):
    """Return the field ids and the signatories of each agreement, read as values."""
    fields_of, signatories_of = defaultdict(set), defaultdict(list)
    titles = [build_localized_fieldname("title", code) for code in LANGUAGE_CODES]
    for chunk in batched(agreements, LOOKUP_BATCH):
        links = Agreement.fields.through.objects.filter(agreement_id__in=chunk)
        for agreement_id, field_id in links.values_list("agreement_id", "cooperationfield_id"):
            fields_of[agreement_id].add(field_id)
        signatories = plain_queryset(Participation.objects.all()).filter(
            agreement_id__in=chunk, role=SIGNATORY
        )
        for agreement_id, person_id, side, *texts in signatories.order_by(
            "agreement_id", "order", "pk"
        ).values_list("agreement_id", "person_id", "side", *titles):
            signed = Signed(person_id, side, dict(zip(titles, texts, strict=True)))
            signatories_of[agreement_id].append(signed)
    return fields_of, signatories_of
