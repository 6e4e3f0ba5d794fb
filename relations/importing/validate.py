"""Validating the plans before anything is written: each agreement and its new signatories
against their models' fields (full_clean), and each agreement against its model's
constraints, which the database evaluates for a batch of rows at a time.

The dry run and the real import run these same checks, and every value the import writes
is checked here against its model, the signatories' included: a file that passes the dry
run does not fail at the database, unless the data changed in between.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query
from django.utils.translation import gettext as _

from core.batching import batched

from .. import csv_format
from ..models import Agreement
from .report import Problem

BATCH_SIZE = 500  # rows per constraint query, fewer where the database takes fewer parameters
# The column a constraint's message belongs to.
CONSTRAINT_COLUMNS = {"relations_agreement_valid_after_signing": "valid_until"}
# Fields no cell writes, or foreign keys to rows that are looked up (or created) first.
AGREEMENT_EXCLUDED = frozenset({"document", "partnership"})
PARTICIPATION_EXCLUDED = frozenset({"agreement", "person"})


def plan_problems(plans):
    """Return the problems of each plan, a list per plan, in order.

    The constraints are checked for the agreements whose fields are valid. A problem of a
    column whose cell could not be read is left out: that cell's own problem says it.
    """
    changing = [plan for plan in plans if plan.has_changes]
    field_problems = {plan.line: _agreement_field_problems(plan) for plan in changing}
    valid = [plan for plan in changing if not field_problems[plan.line]]
    broken = constraint_problems(valid)
    return [
        _shown(
            plan,
            field_problems.get(plan.line, [])
            + broken.get(plan.line, [])
            + _participation_problems(plan),
        )
        for plan in plans
    ]


def _shown(plan, checked):
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


def _agreement_field_problems(plan):
    try:
        plan.agreement.full_clean(
            exclude=AGREEMENT_EXCLUDED, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            Problem(plan.line, _column_of_field(name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _participation_problems(plan):
    """Return the problems of the signatories the plan writes, each naming the person.

    The unique constraint needs the agreement's id; the parser refuses a person listed
    twice instead.
    """
    problems = []
    for participation in plan.participations:
        try:
            participation.full_clean(
                exclude=PARTICIPATION_EXCLUDED, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            # Translators: a signatory's name, then what is wrong with their entry.
            text = _("%(person)s: %(message)s")
            problems += [
                Problem(
                    plan.line,
                    "signatories",
                    text % {"person": participation.person, "message": message},
                )
                for message in error.messages
            ]
    return problems


def constraint_problems(plans):
    """Return {line: problems} of the plans whose agreement breaks a constraint of its model."""
    agreements = [plan.agreement for plan in plans]
    problems = defaultdict(list)
    for constraint in Agreement._meta.constraints:
        column = CONSTRAINT_COLUMNS.get(constraint.name, "")
        for position, messages in _broken(constraint, agreements):
            line = plans[position].line
            problems[line] += [Problem(line, column, message) for message in messages]
    return problems


def _broken(constraint, instances):
    """Yield (position, messages) of each instance that breaks the constraint."""
    if isinstance(constraint, CheckConstraint):
        message = constraint.get_violation_error_message()
        for position in check_failures(constraint, instances):
            yield position, [message]
        return
    # Other kinds (the agreement has none today): Django's own check, a query per row.
    for position, instance in enumerate(instances):
        try:
            constraint.validate(type(instance), instance, exclude=AGREEMENT_EXCLUDED)
        except ValidationError as error:
            yield position, error.messages


def check_failures(constraint, instances):
    """Return the positions of the unsaved instances that break a check constraint.

    The database evaluates the constraint's condition, compiled as Django compiles it for
    the table's CHECK, over the instances' values: one query per batch of rows, where
    CheckConstraint.validate() runs one per instance. As in a CHECK, a condition that
    comes out unknown (NULL) passes.
    """
    if not instances:
        return []
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
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
