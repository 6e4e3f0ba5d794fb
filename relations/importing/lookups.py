"""What the rows refer to: regions, fields, people, partnerships and the agreements to update,
each loaded in a number of queries that does not grow with the rows."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from core.batching import batched
from core.bulk import instances_of, light_instances, light_names, plain_queryset
from core.i18n import LANGUAGE_CODES, translated_text

from ..models import Agreement, CooperationField, Participation, Partnership, Person, Region, Side
from .parse import id_or_none

# Ids or names per lookup query: well under the databases' limits on query parameters.
LOOKUP_BATCH = 1000
SIGNATORY = Participation.Role.SIGNATORY
_AGREEMENT_NAMES = light_names(Agreement)
_PARTICIPATION_NAMES = light_names(Participation)
_TITLES = [build_localized_fieldname("title", code) for code in LANGUAGE_CODES]


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
        return translated_text(self.titles, "title", language)


class Lookups:
    """Everything the rows name, loaded in a number of queries that does not grow per row.

    Regions, fields, people and partnerships are loaded once for the file; the agreements a
    batch of rows updates, with their fields and participations, for each batch: read by
    read_batch() (on PostgreSQL, while the batch before is checked: write.py), then put in
    place by use_batch().
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
        self.participations_of = {}  # agreement id: [Participation], every role
        self.parsed = {}  # {column: {cell: (value, error)}}, for parse._parsed

    @staticmethod
    def read_batch(rows):
        """Read what use_batch() takes: the values of the agreements the rows (line,
        {key: cell}) name by id, of their fields and of their participations. Only reads
        the database, in three queries per LOOKUP_BATCH ids; makes no instance."""
        ids = sorted({id_or_none(row.get("id", "")) for _line, row in rows} - {None})
        through = Agreement.fields.through
        agreements, links, participations = [], [], []
        for chunk in batched(ids, LOOKUP_BATCH):
            found = Agreement.objects.filter(id_in(Agreement, chunk))
            agreements += plain_queryset(found).values_list(*_AGREEMENT_NAMES)
            found = through.objects.filter(id_in(through, chunk, "agreement_id"))
            links += found.values_list("agreement_id", "cooperationfield_id")
            found = Participation.objects.filter(id_in(Participation, chunk, "agreement_id"))
            found = found.order_by("agreement_id", "order", "pk")
            participations += plain_queryset(found).values_list(*_PARTICIPATION_NAMES)
        return connection.alias, agreements, links, participations

    def use_batch(self, read):
        """Make the batch's agreements, fields and participations those read_batch() read."""
        database, agreements, links, participations = read
        self.agreements = {
            agreement.pk: agreement
            for agreement in instances_of(Agreement, _AGREEMENT_NAMES, agreements, database)
        }
        self.fields_of, self.signatories_of, self.participations_of = _links(
            links, instances_of(Participation, _PARTICIPATION_NAMES, participations, database)
        )

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


def id_in(model, ids, column="id"):
    """Return the filter `{column}__in=ids` on the model; on PostgreSQL as `= ANY(%s)` with
    one array parameter, which Django compiles without its work per id."""
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": ids})
    quote = connection.ops.quote_name
    sql = f"{quote(model._meta.db_table)}.{quote(column)} = ANY(%s)"
    return RawSQL(sql, (list(ids),), output_field=BooleanField())


def _links(links, participations):
    """Return the field ids, the signatories and the participations of each agreement
    (the history records the participations of an updated agreement)."""
    fields_of, signatories_of, participations_of = defaultdict(set), defaultdict(list), {}
    for agreement_id, field_id in links:
        fields_of[agreement_id].add(field_id)
    for participation in participations:
        agreement_id = participation.agreement_id
        participations_of.setdefault(agreement_id, []).append(participation)
        if participation.role == SIGNATORY:
            texts = participation.__dict__
            titles = {title: texts[title] for title in _TITLES}
            signed = Signed(participation.person_id, participation.side, titles)
            signatories_of[agreement_id].append(signed)
    return fields_of, signatories_of, participations_of
