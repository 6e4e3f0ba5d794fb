"""The checks before the import writes: the dry run finds whatever the real run would."""

import datetime
import itertools
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from relations.importing import agreement_import
from relations.importing.validate import BATCH_SIZE, check_failures
from relations.models import Agreement, Participation, Region
from tests.factories import AgreementFactory, ParticipationFactory
from tests.relations.helpers_import import LONG_TITLE, World, agreement_row, csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def errors_of(rows, *, dry_run, **kwargs):
    report = agreement_import(file=csv_file(rows, **kwargs), dry_run=dry_run)
    assert not report.written
    return [str(problem) for problem in report.errors]


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
def test_it_refuses_a_signatory_title_too_long_for_the_database(world, dry_run):
    row = agreement_row(signatories=f"Xin Changxing; Dong-yeon Kim ({LONG_TITLE})")

    errors = errors_of([row], dry_run=dry_run)

    # On PostgreSQL the real run used to fail with "value too long"; SQLite stored it.
    assert errors == [
        "row 2, Signatories: Dong-yeon Kim: Ensure this value has at most 300 characters "
        "(it has 301)."
    ]
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
def test_it_checks_a_signatory_title_in_the_language_of_the_file(world, dry_run):
    agreement = AgreementFactory(partnership=world.partnership)
    ParticipationFactory(agreement=agreement, person=world.kim, title_en="Governor")
    row = {"id": str(agreement.pk), "signatories": f"김동연 ({'도지사' * 101})"}

    errors = errors_of([row], dry_run=dry_run, language="ko", columns=("id", "signatories"))

    assert errors == [
        "row 2, Signatories: Dong-yeon Kim: Ensure this value has at most 300 characters "
        "(it has 303)."
    ]
    assert Participation.objects.get().title_ko in ("", None)


@pytest.mark.parametrize("language", [None, "ko"])
def test_it_reports_a_title_too_long_once(world, language):
    errors = errors_of([agreement_row(title=LONG_TITLE)], dry_run=True, language=language)

    assert errors == ["row 2, Title: Ensure this value has at most 300 characters (it has 301)."]


def test_it_reports_a_venue_too_long_once(world):
    agreement = AgreementFactory(partnership=world.partnership)
    row = {"id": str(agreement.pk), "venue": LONG_TITLE}

    errors = errors_of([row], dry_run=True, columns=("id", "venue"))

    assert errors == ["row 2, Venue: Ensure this value has at most 300 characters (it has 301)."]


def test_it_reports_the_database_refusing_the_write(world):
    def create_the_same_agreement(done, total):
        # Someone creates agreement 500 while the import checks the file.
        AgreementFactory(partnership=world.partnership, pk=500, title_en="Theirs")

    report = agreement_import(
        file=csv_file([agreement_row(id="500", title="Ours")]),
        dry_run=False,
        progress=create_the_same_agreement,
    )

    (problem,) = report.errors
    assert (problem.row, problem.column) == (None, "")
    assert problem.message.startswith("The database refused the import, so nothing was written: ")
    assert problem.message.endswith(
        "Upload the file again to check it against the data as it is now."
    )
    assert not report.written
    assert Agreement.objects.get().title_en == "Theirs"
    assert Participation.objects.count() == 0


def django_verdicts(constraint, instances):
    """Return the positions of the instances that Django's own validate() refuses."""
    refused = []
    for position, instance in enumerate(instances):
        try:
            constraint.validate(type(instance), instance)
        except ValidationError:
            refused.append(position)
    return refused


DATES = [None, datetime.date(2024, 6, 18), datetime.date(2024, 6, 19), datetime.date(2030, 1, 1)]


def test_it_checks_constraints_as_django_does():
    agreements = [Agreement(signed_on=a, valid_until=b) for a in DATES for b in DATES]
    (constraint,) = Agreement._meta.constraints

    assert check_failures(constraint, agreements) == django_verdicts(constraint, agreements)
    assert check_failures(constraint, agreements) != []


def test_it_checks_any_check_constraint_as_django_does():
    # Region's: ranges, decimals, NULLs, and a foreign key compared with the primary key.
    values = itertools.product(
        (None, 1, 2),
        (None, 1),
        (None, 0, -1),
        (None, Decimal("-0.01"), Decimal("12.50")),
        (None, Decimal("-90.000000"), Decimal("90.000001")),
        (None, Decimal("180"), Decimal("-180.5")),
    )
    regions = [
        Region(
            pk=pk, parent_id=parent, population=people, area_km2=area, latitude=lat, longitude=lon
        )
        for pk, parent, people, area, lat, lon in values
    ]
    checks = [c for c in Region._meta.constraints if isinstance(c, CheckConstraint)]

    for constraint in checks:
        refused = check_failures(constraint, regions)
        assert refused == django_verdicts(constraint, regions), constraint.name
        assert refused != [], constraint.name


def test_it_checks_constraints_in_a_query_per_batch(world):
    agreements = [Agreement(signed_on=DATES[2], valid_until=DATES[1]) for _ in range(1200)]
    (constraint,) = Agreement._meta.constraints

    with CaptureQueriesContext(connection) as queries:
        refused = check_failures(constraint, agreements)

    assert refused == list(range(1200))
    # Intended to keep it off the per-row path of validate_constraints(): one query for
    # each BATCH_SIZE rows, or fewer where the database limits the parameters of a query
    # (SQLite: 999; a row takes 3, its position and its two dates).
    limit = connection.features.max_query_params
    rows_per_query = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit // 3)
    assert len(queries) == math.ceil(1200 / rows_per_query)
