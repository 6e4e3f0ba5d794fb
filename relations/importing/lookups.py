"""What the rows refer to: regions, fields, people, partnerships and the agreements to update,
each loaded in a number of queries that does not grow with the rows."""

from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Max
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from core.batching import batched
from core.bulk import light_instances, plain_queryset
from core.i18n import LANGUAGE_CODES, translated

from ..models import Agreement, CooperationField, Participation, Partnership, Person, Region, Side
from .parse import id_or_none

# Ids or names per lookup query: well under the databases' limits on query parameters.
LOOKUP_BATCH = 1000
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
    """Everything the rows name, loaded in a number of queries that does not grow per row.

    Regions, fields, people and partnerships are loaded once for the file; the agreements a
    batch of rows updates, with their fields and signatories, for each batch (load_batch).
    """

    def __init__(self):
        self.home = Region.objects.home().first()
        self.regions = _by_text(Region.objects.all(), "name", slug=True)
        self.fields = _by_text(CooperationField.objects.all(), "name", slug=True)
        self.region_by_id = _by_id(self.regions)
        self.field_by_id = _by_id(self.fields)
        self.person_by_id = {p.pk: p for p in light_instances(Person.objects.all())}
        self.people = _by_text(self.person_by_id.values(), "name")
        self.partnership_by_id = {p.pk: p for p in light_instances(Partnership.objects.all())}
        self.partnerships = {
            p.partner_region_id: p
            for p in self.partnership_by_id.values()
            if self.home is not None and p.home_region_id == self.home.pk
        }
        self.new_partnerships = {}  # partner region id: (Partnership, [rows])
        self.sides = _last_sides()
        self.kinds = _choices_lookup(Agreement.Kind.choices)
        self.statuses = _choices_lookup(Agreement.Status.choices)
        self.agreements, self.fields_of, self.signatories_of = {}, {}, {}
        self.parsed = {}  # (column, cell): (value, error), for parse._parsed

    def load_batch(self, rows):
        """Load the agreements the rows name by id, with their fields and signatories."""
        self.agreements = _agreements(rows)
        self.fields_of, self.signatories_of = _links(self.agreements)

    def side_for(self, person, position):
        """Place a new signatory: on the side they last signed for, else the first listed
        on the home side and the others on the partner side."""
        return self.sides.get(person.pk) or (Side.HOME if position == 0 else Side.PARTNER)

    def partner_of(self, partnership_id):
        """Return the partner region of a partnership that exists."""
        partnership = self.partnership_by_id[partnership_id]
        return self.region_by_id[partnership.partner_region_id]


def _last_sides():
    """Return {person id: the side they last signed for}, to place new signatories."""
    signatories = Participation.objects.filter(role=SIGNATORY)
    last = signatories.values("person_id").annotate(last=Max("pk")).values("last")
    return dict(
        plain_queryset(Participation.objects.filter(pk__in=last)).values_list("person_id", "side")
    )


def _agreements(rows):
    ids = {id_or_none(row.get("id", "")) for _line, row in rows} - {None}
    found = {}
    for chunk in batched(ids, LOOKUP_BATCH):
        found.update((a.pk, a) for a in light_instances(Agreement.objects.filter(pk__in=chunk)))
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
