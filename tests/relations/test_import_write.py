"""The import's writes: batch after batch while the next is checked (PostgreSQL), all or
nothing, and the history django-reversion would have recorded."""

import gc
import sys
import threading

import pytest
from django.core import serializers
from reversion.models import Revision, Version

import relations.importing
from relations.importing import agreement_import
from relations.models import Agreement, Level, Participation, Partnership
from tests.factories import AgreementFactory, ParticipationFactory
from tests.relations.helpers_import import World, agreement_row, csv_file, signatories_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two rows: a file of a few rows goes through every batch's path."""
    monkeypatch.setattr(relations.importing, "BATCH_SIZE", 2)


def run(rows, **kwargs):
    return agreement_import(file=csv_file(rows), dry_run=False, **kwargs)


def versions_of(obj):
    return Version.objects.get_for_object(obj)


def test_it_records_a_revision_per_agreement_as_reversion_would(world, django_user_model):
    user = django_user_model.objects.create_user("clerk")
    updated = AgreementFactory(partnership=world.partnership, title_en="Old title")
    updated.fields.set([world.economy])
    ParticipationFactory(agreement=updated, person=world.kim, title_en="Governor")
    attendee = ParticipationFactory(agreement=updated, role=Participation.Role.ATTENDEE)
    rows = [
        agreement_row(title="New one", signatories="Xin Changxing; Dong-yeon Kim (Governor)"),
        {**agreement_row(), "id": str(updated.pk), "title": "New title"},
    ]

    report = agreement_import(file=csv_file(rows), dry_run=False, user=user)

    assert report.ok, report.errors
    created = Agreement.objects.get(title_en="New one")
    updated.refresh_from_db()
    for agreement, participations in (
        (created, list(created.participations.all())),
        (updated, [*updated.participations.filter(role="signatory"), attendee]),
    ):
        (version,) = versions_of(agreement)
        revision = version.revision
        assert (revision.comment, revision.user) == ("CSV import", user)
        # Exactly what reversion.add_to_revision() stores: the agreement, its participations.
        recorded = {(v.content_type.model, v.object_id): v for v in revision.version_set.all()}
        expected = [agreement, *participations]
        assert set(recorded) == {(o._meta.model_name, str(o.pk)) for o in expected}
        for obj in expected:
            stored = recorded[obj._meta.model_name, str(obj.pk)]
            assert stored.serialized_data == serializers.serialize("json", [obj])
            assert stored.object_repr == str(obj)
            assert stored.db == "default"
    assert Revision.objects.count() == 2


def test_it_writes_a_file_batch_after_batch(world, small_batches):
    existing = [AgreementFactory(partnership=world.partnership) for _ in range(3)]
    for agreement in existing:
        ParticipationFactory(agreement=agreement, person=world.xin, title_en="Secretary")
    rows = [agreement_row(title=f"New {number}") for number in range(4)]
    rows[1:1] = [
        {
            **agreement_row(),
            "id": str(agreement.pk),
            "title": f"Renamed {agreement.pk}",
            "signatories": "Dong-yeon Kim (Governor)",
        }
        for agreement in existing
    ]
    threads, thresholds = threading.active_count(), gc.get_threshold()
    interval = sys.getswitchinterval()

    report = run(rows)

    assert report.ok, report.errors
    assert (report.created, report.updated) == (4, 3)
    assert Agreement.objects.filter(title_en__startswith="New ").count() == 4
    for agreement in existing:
        agreement.refresh_from_db()
        assert agreement.title_en == f"Renamed {agreement.pk}"
        assert signatories_of(agreement) == [("Dong-yeon Kim", "Governor", "home")]
    assert Revision.objects.filter(comment="CSV import").count() == 7
    world.partnership.refresh_from_db()
    assert world.partnership.level == Level.SISTERHOOD
    # The writing thread is gone, and the interpreter's settings are as they were.
    assert threading.active_count() == threads
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, 0)
    assert sys.getswitchinterval() == interval


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
def test_it_writes_nothing_when_a_later_batch_breaks_a_constraint(world, small_batches, dry_run):
    existing = AgreementFactory(partnership=world.partnership, title_en="Untouched")
    rows = [agreement_row(title=f"New {number}") for number in range(5)]
    rows += [
        {**agreement_row(), "id": str(existing.pk), "title": "Changed"},
        agreement_row(title="Bad", signed_on="2024-06-19", valid_until="2020-01-01"),
    ]

    report = agreement_import(file=csv_file(rows), dry_run=dry_run)

    assert [(p.row, p.column) for p in report.errors] == [(8, "valid_until")]
    assert not report.written
    existing.refresh_from_db()
    assert existing.title_en == "Untouched"
    assert Agreement.objects.count() == 1
    assert Participation.objects.count() == Revision.objects.count() == 0


def test_it_reports_the_database_refusing_a_later_batch(world, small_batches):
    def create_the_same_agreement(done, total):
        # Someone creates agreement 500 once the import has found that there is none, while
        # it writes its first batches.
        if done == 7:
            AgreementFactory(partnership=world.partnership, pk=500, title_en="Theirs")

    rows = [agreement_row(title=f"Ours {number}") for number in range(6)]
    rows.append(agreement_row(id="500", title="Ours too"))
    threads = threading.active_count()

    report = run(rows, progress=create_the_same_agreement)

    (problem,) = report.errors
    assert (problem.row, problem.column) == (None, "")
    assert problem.message.startswith("The database refused the import, so nothing was written: ")
    assert not report.written
    assert not Agreement.objects.filter(title_en__startswith="Ours").exists()
    assert Participation.objects.count() == Revision.objects.count() == 0
    assert threading.active_count() == threads


def test_it_creates_a_partnership_in_a_later_batch(world, small_batches):
    rows = [agreement_row(title=f"New {number}") for number in range(3)]
    rows.append(agreement_row(partner_region="liaoning", kind="friendship"))

    report = run(rows)

    assert report.ok, report.errors
    partnership = Partnership.objects.get(partner_region=world.liaoning)
    assert partnership.level == Level.FRIENDSHIP
    assert versions_of(partnership).count() == 1
