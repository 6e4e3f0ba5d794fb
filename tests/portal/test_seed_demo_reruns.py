"""seed_demo on a database that already holds the demo, as on every `make run` and `make serve`:
it creates what is missing and never changes what exists."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision, Version

from news.models import Article, ChangeNote
from portal.models import DemoRecord
from relations.models import Agreement, Participation, Person
from tests.core.test_history import form_data
from tests.relations.admin_posts import admin_url

from .test_seed_demo import MODELS

pytestmark = pytest.mark.django_db

EVERY_MODEL = [
    *MODELS,
    Article,
    Article.partnerships.through,
    Article.regions.through,
    Article.fields.through,
    ChangeNote,
    DemoRecord,
    Revision,
    Version,
]
WRITES = ("INSERT", "UPDATE", "DELETE")


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def dump():
    """Every column of every row that seed_demo writes or records, by model."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in EVERY_MODEL
    }


def writes_of_a_run():
    """Run seed_demo; return the statements it sent that write."""
    with CaptureQueriesContext(connection) as queries:
        seed()
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]


def jiangsu_sisterhood():
    return Agreement.objects.get(partnership__slug="jiangsu", kind=Agreement.Kind.SISTERHOOD)


def test_it_writes_nothing_when_run_again():
    seed()
    first = dump()
    assert writes_of_a_run() == []
    assert dump() == first
    assert Revision.objects.filter(comment="seed_demo").count() == 1


def test_it_says_how_many_records_it_created():
    assert not seed().startswith("Demo data: 0 ")
    assert seed().startswith("Demo data: 0 missing records created.")


def test_it_keeps_an_admins_edit_of_a_demo_agreement(admin_client):
    seed()
    agreement = jiangsu_sisterhood()
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_data(admin_client.get(url))
    data.update(venue_en="Dodamso, Suwon", internal_notes="Date checked with the protocol office.")
    assert admin_client.post(url, data).status_code == 302
    saved = dump()
    seed()
    agreement.refresh_from_db()
    assert agreement.venue_en == "Dodamso, Suwon"
    assert agreement.internal_notes == "Date checked with the protocol office."
    assert dump() == saved


def test_it_makes_no_second_copy_of_a_record_whose_natural_key_staff_changed():
    seed()
    guangdong = Agreement.objects.get(partnership__slug="guangdong")
    guangdong.signed_on = "1994-06-01"
    guangdong.save()
    Person.objects.filter(name_en="Dong-yeon Kim").update(name_en="Kim Dong-yeon")
    seed()
    assert Agreement.objects.filter(partnership__slug="guangdong").count() == 1
    assert not Person.objects.filter(name_en="Dong-yeon Kim").exists()


def test_it_creates_a_demo_record_deleted_since():
    seed()
    xin = Participation.objects.get(
        agreement=jiangsu_sisterhood(), person__name_en="Xin Changxing"
    )
    xin.delete()
    ChangeNote.objects.all().delete()
    assert seed().startswith("Demo data: 2 missing records created.")
    assert jiangsu_sisterhood().participations.filter(person__name_en="Xin Changxing").exists()
    assert ChangeNote.objects.count() == 1
    assert writes_of_a_run() == []


def test_it_finds_the_records_of_a_database_loaded_before_it_remembered_them():
    # A var/ database from before DemoRecord: the records are found by their natural keys.
    seed()
    DemoRecord.objects.all().delete()
    records = {model._meta.label: model.objects.count() for model in MODELS}
    seed()
    assert {model._meta.label: model.objects.count() for model in MODELS} == records
    assert DemoRecord.objects.count() > 0
    assert writes_of_a_run() == []
