"""Validating the plans before anything is written: each agreement and its new signatories
against their models' fields (full_clean), and each agreement against its model's
constraints, which the database evaluates for a batch of rows at a time.

The dry run and the real import run these same checks, and every value the import writes
is checked here against its model, the signatories' included: a file that passes the dry
run does not fail at the database, unless the data changed in between.
"""

import functools
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from core.batching import batched
from core.bulk import TranslatedValues

from .. import csv_format
from ..models import Agreement
from .report import Problem

CLEANED_LIMIT = 5000  # values of a field whose cleaning is remembered
# Rows per batch, and per constraint query (fewer where the database takes fewer parameters).
BATCH_SIZE = 1000
# The column a constraint's message belongs to.
CONSTRAINT_COLUMNS = {"relations_agreement_valid_after_signing": "valid_until"}
# Fields no cell writes, or foreign keys to rows that are looked up (or created) first.
AGREEMENT_EXCLUDED = frozenset({"document", "partnership"})
PARTICIPATION_EXCLUDED = frozenset({"agreement", "person"})
_AGREEMENT_FIELDS = frozenset(field.name for field in Agreement._meta.fields)
# {title_ko: title, ...}: each translation field's own field.
_TRANSLATED_OF = {
    localized.name: name
    for name, fields in translator.get_options_for_model(Agreement).all_fields.items()
    for localized in fields
}


class FieldCleaner:
    """Model.full_clean() without the unique and constraint checks, for many instances.

    The same loop as Django's clean_fields() (with modeltranslation's patch of it), but each
    field's own clean() runs once per distinct value: in a file, most cells of a column
    repeat (kinds, dates, statuses, defaults), and cleaning every field of every row took
    most of the time of a check.
    """

    def __init__(self):
        self.results = {}  # field: {raw value: (cleaned value, None) or (None, errors)}
        self.specs = {}  # (model, exclude): [(field, TranslatedValues or None, results)]

    def errors(self, instance, exclude, language=None):
        """Return {field name: [ValidationError]} of the instance, as full_clean() finds;
        `language` is the active language, if the caller knows it."""
        errors, values = {}, instance.__dict__
        language = language or get_language()
        for field, attname, translated, results, blank, empty, relation in self._spec(
            type(instance), exclude
        ):
            if translated is not None:
                raw = translated.get(instance, attname, language)
            else:
                raw = values[attname]
            if blank and raw in empty:
                continue
            try:
                value, found = results[raw]
            except KeyError:
                if len(results) >= CLEANED_LIMIT:
                    results.clear()  # a column of unique values, such as titles
                value, found = results[raw] = _cleaned(field, raw, instance)
            except TypeError:  # a value that cannot be a key
                value, found = _cleaned(field, raw, instance)
            if found:
                errors[field.name] = found
            elif value is raw:
                continue
            elif relation:
                setattr(instance, attname, value)
            else:
                # What setattr() does for the other fields (modeltranslation's with _mt_disable).
                values[attname] = value
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    def _spec(self, model, exclude):
        key = (model, exclude)
        try:
            return self.specs[key]
        except KeyError:
            pass
        translated = TranslatedValues.of(model)
        self.specs[key] = [
            (
                field,
                field.attname,
                translated if field.attname in translated else None,
                self.results.setdefault(field, {}),
                field.blank,
                field.empty_values,
                field.is_relation,
            )
            for field in model._meta.fields
            if not field.generated and field.name not in exclude
        ]
        return self.specs[key]


def _cleaned(field, raw, instance):
    try:
        return field.clean(raw, instance), None
    except ValidationError as error:
        return None, error.error_list


def plan_problems(plans, cleaner, connection=None):
    """Return the problems of each plan, a list per plan, in order.

    The constraints are checked for the agreements whose fields are valid. A problem of a
    column whose cell could not be read is left out: that cell's own problem says it.
    """
    language = get_language()
    changing = [plan for plan in plans if plan.has_changes]
    field_problems = {
        plan.line: _agreement_field_problems(plan, cleaner, language) for plan in changing
    }
    valid = [plan for plan in changing if not field_problems[plan.line]]
    broken = constraint_problems(valid, connection)
    return [
        _shown(
            plan,
            field_problems.get(plan.line, [])
            + broken.get(plan.line, [])
            + _participation_problems(plan, cleaner, language),
        )
        for plan in plans
    ]


def _shown(plan, checked):
    if not checked and not plan.problems:
        return []
    # Django validates a translated field under its own name and under each language's
    # (title, title_en, title_ko), and a new agreement's title goes into two languages:
    # the same message would come up to three times for one cell.
    checked = list(dict.fromkeys(checked))
    unread = plan.unread | {problem.column for problem in plan.problems}
    problems = plan.problems + [problem for problem in checked if problem.column not in unread]
    if "id" in plan.unread:
        # An update or a new agreement: what a new one would need is not known.
        problems = [problem for problem in problems if problem.column in plan.columns]
    return problems


def _agreement_field_problems(plan, cleaner, language=None):
    """Return the problems of the fields the plan writes: every field of a new agreement,
    the fields an update changes (a value already stored is not the file's to answer for),
    with their translated field's own (title for title_ko), as full_clean() checks both."""
    if plan.is_new:
        exclude = AGREEMENT_EXCLUDED
    else:
        exclude = _excluded(frozenset(plan.changed_fields))
    errors = cleaner.errors(plan.agreement, exclude, language)
    if not errors:
        return []
    return [
        Problem(plan.line, _column_of_field(name), message)
        for name, messages in ValidationError(errors).message_dict.items()
        for message in messages
    ]


@functools.cache
def _excluded(changed_fields):
    """Return the fields an update leaves out of its check: those it does not write."""
    written = set(changed_fields)
    written |= {_TRANSLATED_OF.get(name) for name in written} - {None}
    return _AGREEMENT_FIELDS - written | AGREEMENT_EXCLUDED


def _participation_problems(plan, cleaner, language=None):
    """Return the problems of the signatories the plan writes, each naming the person.

    The unique constraint needs the agreement's id; the parser refuses a person listed
    twice instead.
    """
    problems = []
    for participation in plan.participations:
        errors = cleaner.errors(participation, PARTICIPATION_EXCLUDED, language)
        if errors:
            # Translators: a signatory's name, then what is wrong with their entry.
            text = _("%(person)s: %(message)s")
            problems += [
                Problem(
                    plan.line,
                    "signatories",
                    text % {"person": participation.person, "message": message},
                )
                for message in ValidationError(errors).messages
            ]
    return problems


def constraint_problems(plans, connection=None):
    """Return {line: problems} of the plans whose agreement breaks a constraint of its model."""
    agreements = [plan.agreement for plan in plans]
    problems = defaultdict(list)
    for constraint in Agreement._meta.constraints:
        column = CONSTRAINT_COLUMNS.get(constraint.name, "")
        for position, messages in _broken(constraint, agreements, connection):
            line = plans[position].line
            problems[line] += [Problem(line, column, message) for message in messages]
    return problems


def _broken(constraint, instances, connection=None):
    """Yield (position, messages) of each instance that breaks the constraint."""
    if isinstance(constraint, CheckConstraint):
        message = constraint.get_violation_error_message()
        for position in check_failures(constraint, instances, connection):
            yield position, [message]
        return
    # Other kinds (the agreement has none today): Django's own check, a query per row.
    for position, instance in enumerate(instances):
        try:
            constraint.validate(type(instance), instance, exclude=AGREEMENT_EXCLUDED)
        except ValidationError as error:
            yield position, error.messages


def check_failures(constraint, instances, connection=None):
    """Return the positions of the unsaved instances that break a check constraint.

    The database evaluates the constraint's condition, compiled as Django compiles it for
    the table's CHECK, over the instances' values: one query per batch of rows, where
    CheckConstraint.validate() runs one per instance. As in a CHECK, a condition that
    comes out unknown (NULL) passes. The query reads no table: `connection`, when given, may
    be any connection to the database (write.py gives one that does not wait for the
    import's writes).
    """
    if not instances:
        return []
    model = type(instances[0])
    connection = connection or connections[router.db_for_write(model)]
    query = Query(model=model, alias_cols=False)
    compiler = query.get_compiler(connection=connection)
    condition, params = query.build_where(constraint.condition).as_sql(compiler, connection)
    fields = _referenced_fields(model, constraint.condition)
    # A typed placeholder per value, so that a column of NULLs still compares as its type.
    casts = [compiler.compile(Cast(RawSQL("%s", ()), output_field=f))[0] for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("_position", *(f.column for f in fields)))
    row = f"({', '.join(['%s', *casts])})"
    failures = []
    for start, batch in _numbered_batches(instances, connection, len(fields) + 1, len(params)):
        values = [
            value
            for position, instance in enumerate(batch, start=start)
            for value in (position, *_db_values(instance, fields, connection))
        ]
        sql = (
            f"WITH _planned ({columns}) AS (VALUES {', '.join([row] * len(batch))}) "
            f"SELECT {quote('_position')} FROM _planned WHERE NOT ({condition})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *params])
            failures += [position for (position,) in cursor.fetchall()]
    return sorted(failures)


def _referenced_fields(model, condition):
    names = sorted(condition.referenced_base_fields)
    return [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names]


def _db_values(instance, fields, connection):
    return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]


def _numbered_batches(instances, connection, width, fixed):
    """Yield (position of the first, batch) over the instances, each batch within the
    database's limit on query parameters: `width` per row and `fixed` per query."""
    limit = connection.features.max_query_params
    size = BATCH_SIZE if limit is None else min(BATCH_SIZE, (limit - fixed) // width)
    for number, batch in enumerate(batched(instances, size)):
        yield number * size, batch


def _column_of_field(name):
    for key in csv_format.KEYS:
        if name == key or name.startswith(f"{key}_"):
            return key
    return ""


class DuplicateIds:
    """Refuse an id that an earlier row of the file has already listed."""

    def __init__(self):
        self.first_line_of_id = {}

    def problems(self, line, agreement_id):
        if agreement_id is None:
            return []
        first = self.first_line_of_id.setdefault(agreement_id, line)
        if first == line:
            return []
        message = _(
            "The ID %(id)s is also on row %(first)s; an agreement can be listed only once."
        ) % {"id": agreement_id, "first": first}
        return [Problem(line, "id", message)]
