"""The checks an import runs on each planned agreement before anything is written.

The dry run and the real import run the same checks, and every value the import writes
is checked here against its model field, the signatories' included: a file that passes
the dry run does not fail at the database.
"""

import operator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext as _

from . import csv_format
from .import_report import Problem
from .models import Agreement

# The column a constraint's message belongs to.
CONSTRAINT_COLUMNS = {"relations_agreement_valid_after_signing": "valid_until"}
# Fields no cell writes, or foreign keys to rows that are looked up (or created) first.
AGREEMENT_EXCLUDED = frozenset({"document", "partnership"})
PARTICIPATION_EXCLUDED = frozenset({"agreement", "person"})


def plan_problems(plan):
    """Return the problems of a planned agreement and of its new signatories, each once.

    Django validates a translated field under its own name and under each language's
    (title, title_en, title_ko), and a new agreement's title goes into two languages:
    the same message would come up to three times for one cell.
    """
    problems = _agreement_problems(plan) + _participation_problems(plan)
    return list(dict.fromkeys(problems))


def _agreement_problems(plan):
    """Return the problems of the planned agreement: its fields and its constraints."""
    agreement = plan.agreement
    problems = []
    try:
        agreement.full_clean(
            exclude=AGREEMENT_EXCLUDED, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            column = _column_of_field(name)
            problems += [Problem(plan.line, column, message) for message in errors]
    if problems:
        return problems
    for constraint in Agreement._meta.constraints:
        try:
            check_constraint(constraint, agreement, AGREEMENT_EXCLUDED)
        except ValidationError as error:
            column = CONSTRAINT_COLUMNS.get(constraint.name, "")
            problems += [Problem(plan.line, column, message) for message in error.messages]
    return problems


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


def check_constraint(constraint, instance, excluded):
    """Validate one constraint; a simple check constraint without a query.

    Django's CheckConstraint.validate() runs a query per instance, which made checking
    20,000 rows take most of a minute; the conditions of our check constraints are plain
    comparisons that Python evaluates the way SQL does. Anything else goes to Django.
    """
    if isinstance(constraint, CheckConstraint):
        try:
            holds = _holds(constraint.condition, instance)
        except _NotSimple:
            pass
        else:
            if holds is False:
                raise ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
            return
    constraint.validate(type(instance), instance, exclude=excluded)


class _NotSimple(Exception):
    pass


_COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _holds(condition, instance):
    """Return True, False or None (SQL's unknown, which a check constraint lets pass)."""
    results = [_lookup_holds(child, instance) for child in condition.children]
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    else:
        result = True if True in results else None if None in results else False
    return (not result) if condition.negated and result is not None else result


def _lookup_holds(child, instance):
    if isinstance(child, Q):
        return _holds(child, instance)
    if not isinstance(child, tuple):
        raise _NotSimple
    lookup, right = child
    name, _separator, operation = lookup.partition("__")
    left = _value_of(instance, name)
    if operation == "isnull":
        return (left is None) == bool(right)
    compare = _COMPARISONS.get(operation or "exact")
    if compare is None:
        raise _NotSimple
    if isinstance(right, F):
        right = _value_of(instance, right.name)
    elif hasattr(right, "resolve_expression"):
        raise _NotSimple
    if left is None or right is None:
        return None
    return compare(left, right)


def _value_of(instance, name):
    try:
        field = instance._meta.pk if name == "pk" else instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise _NotSimple from None
    if not field.concrete or "__" in name:
        raise _NotSimple
    return getattr(instance, field.attname)


def _column_of_field(name):
    for key in csv_format.KEYS:
        if name == key or name.startswith(f"{key}_"):
            return key
    return ""
