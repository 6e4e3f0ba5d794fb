"""What an agreement import reports: its errors, each row's changes, the counts."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from core.i18n import translated

from .. import csv_format


def _header(key):
    for column in csv_format.COLUMNS:
        if column.key == key:
            return str(column.header)
    return key


def _column_order(key):
    return csv_format.KEYS.index(key) if key in csv_format.KEYS else -1


@dataclass(frozen=True)
class Problem:
    """An error; `row` is the line of the file (header = 1), None for the whole file."""

    row: int | None
    column: str
    message: str

    @property
    def header(self):
        return _header(self.column) if self.column else ""

    def __str__(self):
        where = [_("row %(row)s") % {"row": self.row}] if self.row else []
        where += [self.header] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str

    @property
    def header(self):
        return _header(self.column)


@dataclass
class PlannedRow:
    row: int
    action: str  # "create" or "update"
    agreement_id: int | None
    title: str
    changes: list[Change]


@dataclass
class ImportReport:
    """What an import found and did. `planned` lists the changes of the first `keep_planned`
    rows that change something (None: of all), and `on_plan` is given each as it is made,
    so that a file of any size can be shown without holding all its changes."""

    dry_run: bool
    language: str = settings.LANGUAGE_CODE
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    keep_planned: int | None = None
    on_plan: Callable[[PlannedRow], None] | None = None

    @property
    def ok(self):
        return not self.errors

    @property
    def changing(self):
        """Return how many rows create or update an agreement."""
        return self.created + self.updated

    def wants_changes(self):
        """Return True while the rows' changes are still listed or passed on."""
        return (
            self.on_plan is not None
            or self.keep_planned is None
            or len(self.planned) < self.keep_planned
        )

    def add_plan(self, plan):
        """Count a valid row's plan, and list its changes when it has any."""
        if not plan.has_changes:
            self.unchanged += 1
            return
        if plan.is_new:
            self.created += 1
        else:
            self.updated += 1
        keep = self.keep_planned is None or len(self.planned) < self.keep_planned
        if not keep and self.on_plan is None:
            return
        row = PlannedRow(
            plan.line,
            "create" if plan.is_new else "update",
            plan.agreement.pk,
            translated(plan.agreement, "title", self.language).text,
            plan.changes,
        )
        if keep:
            self.planned.append(row)
        if self.on_plan is not None:
            self.on_plan(row)

    def sort_errors(self):
        """Order the errors by row, then by the column's place in the file format."""
        self.errors.sort(key=lambda problem: (problem.row or 0, _column_order(problem.column)))


class ImportFileError(Exception):
    """The file as a whole cannot be read; carries one or more problems."""

    def __init__(self, *problems):
        super().__init__(problems)
        self.problems = [
            p if isinstance(p, Problem) else Problem(None, "", str(p)) for p in problems
        ]
