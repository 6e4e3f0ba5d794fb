"""The checks before the import writes: the dry run finds whatever the real run would."""

import pytest

from relations.importing import agreement_import
from relations.models import Agreement, Participation
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
