"""Planning each row: the unsaved agreement with the row's values applied, and the changes
the preview lists, worded as the export writes them in the file's language.

A cell that equals what the export would write now (with its English fallback) changes
nothing, so re-importing an export in any language is a no-op and does not copy English
text into a Korean field.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core.bulk import InstanceBuilder
from core.i18n import translated, translated_text

from .. import csv_format
from ..models import Agreement, CooperationField, Participation, Partnership, Person, Region
from .lookups import SIGNATORY
from .report import Change, Problem

REQUIRED_TO_CREATE = ("title", "kind", "partner_region")
# Read to find or check the agreement, never written to it.
NOT_APPLIED = ("id", "home_region", "partner_country")
_NAMED = (CooperationField, Person, Region)
_PARTNERSHIP = Agreement._meta.get_field("partnership")
_PERSON = Participation._meta.get_field("person")


@dataclass
class Plan:
    line: int
    agreement: Agreement
    is_new: bool
    columns: set = field(default_factory=set)  # the columns the row gave a value
    unread: set = field(default_factory=set)  # the columns whose cell could not be read
    changes: list = field(default_factory=list)
    changed_fields: set = field(default_factory=set)
    cooperation_fields: list | None = None  # new fields, when they change
    signatories: list | None = None  # new [(person, title)], when they change
    participations: list = field(default_factory=list)  # unsaved, for those signatories
    old_partnership_id: int | None = None
    partnership: Partnership | None = None  # the new one, when it changes
    problems: list = field(default_factory=list)
    describe: bool = True  # list the changes for the report

    @property
    def has_changes(self):
        return self.is_new or bool(
            self.changed_fields
            or self.cooperation_fields is not None
            or self.signatories is not None
        )


class Planner:
    """Turn parsed rows into plans: unsaved agreements with their changes applied."""

    def __init__(self, lookups, language):
        self.lookups, self.language = lookups, language
        self.notes, self.texts, self.english_title_noted = [], {}, False
        self.countries = {}  # region id: country code
        # {column: (its field in the file's language, its field in English)}
        self.localized = {
            key: (
                build_localized_fieldname(key, language),
                build_localized_fieldname(key, settings.LANGUAGE_CODE),
            )
            for key in ("title", "venue")
        }
        self.new_agreement = InstanceBuilder(Agreement)
        self.new_participation = InstanceBuilder(Participation)
        with translation.override(language):
            self.labels = {
                key: {code: capfirst(str(label)) for code, label in choices}
                for key, choices in (
                    ("kind", Agreement.Kind.choices),
                    ("status", Agreement.Status.choices),
                )
            }
        # How each column's value goes into the plan; any other column: _apply_plain.
        self.appliers = {
            "title": self._apply_translated,
            "venue": self._apply_translated,
            "signed_on": self._apply_signed_on,
            "partner_region": self._apply_partner_region,
            "fields": self._apply_fields,
            "signatories": self._apply_signatories,
        }

    def display(self, key, value):
        """Return how the export writes the value, in the file's language."""
        if value is None:
            return ""
        if key in self.labels:
            return self.labels[key].get(value, value)
        if key in ("home_region", "partner_region"):
            return self.text(value, "name")
        if key in ("signed_on", "valid_until"):
            return value.isoformat()
        if key == "fields":
            return csv_format.LIST_SEPARATOR.join(sorted(self.text(f, "name") for f in value))
        if key == "signatories":
            return csv_format.LIST_SEPARATOR.join(
                f"{self.text(p, 'name')} ({title})" if title else self.text(p, "name")
                for p, title in value
            )
        return str(value)

    def text(self, obj, field_name):
        """Return the object's text in the file's language; regions, fields and people,
        which every row names and no row changes, once each."""
        if not isinstance(obj, _NAMED) or obj.pk is None:
            return translated_text(obj.__dict__, field_name, self.language)
        key = (type(obj), obj.pk, field_name)
        if key not in self.texts:
            self.texts[key] = translated(obj, field_name, self.language).text
        return self.texts[key]

    def plan(self, line, values, unread, *, describe=True):
        """Return the plan of one row; `unread` names the columns that could not be read.

        Without `describe`, the plan lists no changes (plan.changes) for the report: most
        rows of a large file are counted, not shown.
        """
        existing = self.lookups.agreements.get(values.get("id"))
        agreement = existing or self.new_agreement(id=values.get("id"))
        plan = Plan(line, agreement, existing is None, columns=set(values), unread=unread)
        plan.describe = describe
        if existing is not None:
            plan.old_partnership_id = existing.partnership_id
        else:
            plan.problems += [
                Problem(line, key, _("A new agreement needs this column."))
                for key in REQUIRED_TO_CREATE
                if key not in values and key not in unread
            ]
        for key in ("partner_region", *(k for k in values if k != "partner_region")):
            if key in values and key not in NOT_APPLIED:
                self.appliers.get(key, self._apply_plain)(plan, key, values[key])
        if "partner_region" not in unread:
            self._check_country(plan, values)
        return plan

    def _change(self, plan, key, old, new, *fields):
        plan.changed_fields.update(fields)
        if not plan.describe:
            return
        old_text, new_text = self.display(key, old), self.display(key, new)
        shown = bool(new_text) if plan.is_new else old_text != new_text
        if shown:
            plan.changes.append(Change(key, "" if plan.is_new else old_text, new_text))

    def _apply_plain(self, plan, key, value):
        old = None if plan.is_new else getattr(plan.agreement, key)
        if plan.is_new or old != value:
            setattr(plan.agreement, key, value)
            self._change(plan, key, old, value, key)

    def _apply_translated(self, plan, key, value):
        old = "" if plan.is_new else self.text(plan.agreement, key)
        if plan.is_new or old != value:
            name, english = self.localized[key]
            setattr(plan.agreement, name, value)
            fields = {name}
            if plan.is_new and key == "title" and not getattr(plan.agreement, english):
                setattr(plan.agreement, english, value)
                fields.add(english)
                self._note_english_title()
            self._change(plan, key, old, value, *fields)

    def _note_english_title(self):
        if self.english_title_noted:
            return
        self.english_title_noted = True
        self.notes.append(
            _(
                "New agreements get the title of the file as their English title too, as "
                "every agreement needs one; translate it in the admin."
            )
        )

    def _apply_signed_on(self, plan, key, value):
        old = None if plan.is_new else plan.agreement.signed
        if plan.is_new or old.isoformat() != value.isoformat():
            plan.agreement.signed_on = value.date
            if value.date is not None:
                plan.agreement.signed_on_precision = value.precision
            self._change(plan, key, old, value, "signed_on", "signed_on_precision")

    def _apply_partner_region(self, plan, key, region):
        old = None if plan.is_new else self.lookups.partner_of(plan.agreement.partnership_id)
        if not plan.is_new and old.pk == region.pk:
            return
        partnership = self.lookups.partnerships.get(region.pk) or self._new_partnership(
            plan, region
        )
        if partnership is not None:
            plan.partnership = partnership
            # agreement.partnership = partnership, without the descriptor's checks.
            plan.agreement.__dict__["partnership_id"] = partnership.pk
            _PARTNERSHIP.set_cached_value(plan.agreement, partnership)
            self._change(plan, key, old, region, "partnership")

    def _new_partnership(self, plan, region):
        """Return the partnership the import creates with the region, checked once."""
        lookups = self.lookups
        if region.pk not in lookups.new_partnerships:
            partnership = Partnership(
                home_region=lookups.home, partner_region=region, slug=region.slug
            )
            try:
                partnership.full_clean()
            except ValidationError as error:
                message = "; ".join(error.messages)
                plan.problems.append(Problem(plan.line, "partner_region", message))
                return None
            lookups.new_partnerships[region.pk] = (partnership, [])
        partnership, lines = lookups.new_partnerships[region.pk]
        lines.append(plan.line)
        return partnership

    def _check_country(self, plan, values):
        country = values.get("partner_country", "").upper()
        if not country or (plan.partnership is None and plan.is_new):
            return
        partnership = (
            plan.partnership or self.lookups.partnership_by_id[plan.agreement.partnership_id]
        )
        region = self.lookups.region_by_id[partnership.partner_region_id]
        if region.pk not in self.countries:  # a Country object costs more than a row's check
            self.countries[region.pk] = region.country.code
        if country != self.countries[region.pk]:
            message = _("%(region)s is in %(country)s, not in %(given)s.") % {
                "region": self.text(region, "name"),
                "country": self.countries[region.pk],
                "given": country,
            }
            plan.problems.append(Problem(plan.line, "partner_country", message))

    def _apply_fields(self, plan, key, value):
        field_by_id = self.lookups.field_by_id
        old = (
            []
            if plan.is_new
            else [field_by_id[pk] for pk in self.lookups.fields_of[plan.agreement.pk]]
        )
        if plan.is_new or {f.pk for f in old} != {f.pk for f in value}:
            plan.cooperation_fields = value
            self._change(plan, key, old, value)

    def _apply_signatories(self, plan, key, value):
        old = [] if plan.is_new else self._current_signatories(plan.agreement)
        current = [(person.pk, title) for person, title in old]
        if plan.is_new or current != [(person.pk, title) for person, title in value]:
            plan.signatories = value
            plan.participations = self._participations(plan, value)
            self._change(plan, key, old, value)

    def _participations(self, plan, signatories):
        """Return the unsaved signatories of the plan, checked before anything is written.

        A person who signed before keeps their side and their title in the other languages.
        """
        lookups, language = self.lookups, self.language
        before = {s.person_id: s for s in lookups.signatories_of.get(plan.agreement.pk, [])}
        participations = []
        for order, (person, title) in enumerate(signatories):
            signed = before.get(person.pk)
            values = {
                "person_id": person.pk,
                "role": SIGNATORY,
                "order": order,
                "side": signed.side if signed else lookups.side_for(person, order),
                **(signed.titles if signed else {}),
            }
            if signed is None or signed.title(language) != title:
                values[build_localized_fieldname("title", language)] = title
            participation = self.new_participation(**values)
            _PERSON.set_cached_value(participation, person)  # for the messages, no query
            participations.append(participation)
        return participations

    def _current_signatories(self, agreement):
        return [
            (self.lookups.person_by_id[signed.person_id], signed.title(self.language))
            for signed in self.lookups.signatories_of[agreement.pk]
        ]


def partnership_notes(lookups):
    """Return a note per partnership the import creates, naming its rows."""
    return [
        _("A new partnership %(partnership)s is created for row(s) %(rows)s.")
        % {"partnership": partnership, "rows": ", ".join(map(str, lines))}
        for partnership, lines in lookups.new_partnerships.values()
    ]
