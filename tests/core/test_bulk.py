import datetime
import itertools

import pytest
from django.db import connection
from django.utils import translation

from core.bulk import InstanceBuilder, TranslatedValues, plain_queryset
from core.bulk_write import allocate_ids, copy_line, insert_rows
from relations.models import Agreement, Participation, Region
from tests.factories import PartnershipFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_it_builds_instances_that_bulk_create_saves_with_their_translations():
    partnership = PartnershipFactory()
    new_agreement = InstanceBuilder(Agreement, kind=Agreement.Kind.OTHER, title_en="-")
    Agreement.objects.bulk_create(
        [
            new_agreement(partnership_id=partnership.pk, title_en="First", title_ko="첫째"),
            new_agreement(partnership_id=partnership.pk),
        ]
    )
    rows = Agreement.objects.order_by("pk").values_list("kind", "title_en", "title_ko")
    assert list(plain_queryset(rows)) == [("other", "First", "첫째"), ("other", "-", None)]


def test_it_reads_each_language_as_stored_without_a_fallback():
    RegionFactory(name_en="Jiangsu", name_ko="")
    rows = plain_queryset(Region.objects.all()).values_list("name_en", "name_ko")
    assert list(rows) == [("Jiangsu", "")]


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans", "fr"])
def test_it_reads_a_translated_field_as_modeltranslation_does(language):
    texts = [None, "", "Jiangsu", "장쑤성"]
    for model, name in ((Agreement, "title"), (Participation, "title"), (Region, "name")):
        values, new = TranslatedValues(model), InstanceBuilder(model)
        with translation.override(language):
            for en, ko, zh in itertools.product(texts, repeat=3):
                instance = new(**{f"{name}_en": en, f"{name}_ko": ko, f"{name}_zh_hans": zh})
                read = values.get(instance, name, translation.get_language())
                expected = getattr(instance, name)
                assert (read, type(read)) == (expected, type(expected))


def test_it_writes_copy_text_that_postgresql_reads_back():
    values = (7, "tab\there", "line\nbreak\r", "back\\slash \\N", None, True)
    values += (datetime.date(2024, 6, 19),)
    assert copy_line(values) == (
        "7\ttab\\there\tline\\nbreak\\r\tback\\\\slash \\\\N\t\\N\tt\t2024-06-19\n"
    )


@pytest.mark.django_db
def test_it_loads_any_text_as_it_is():
    partnership = PartnershipFactory()
    titles = ["tab\there", "line\nbreak\r\n", "back\\slash \\N", "\\.", "", "경기도 \\t"]
    rows = [
        (pk, partnership.pk, "other", title, title, "", "day", "in_force", "", "", "", "", "")
        for pk, title in enumerate(titles, start=900)
    ]
    columns = (
        "id", "partnership_id", "kind", "title", "title_en", "summary", "signed_on_precision",
        "status", "venue", "key_commitments", "document", "source_url", "internal_notes",
    )  # fmt: skip

    insert_rows(Agreement, columns, rows)

    stored = Agreement.objects.order_by("pk").values_list("title_en", flat=True)
    assert list(plain_queryset(stored)) == titles


@pytest.mark.django_db
def test_it_takes_ids_from_the_sequences_in_one_query():
    new = InstanceBuilder(Participation)
    participations = [new(), new(id=5), new()]

    taken = allocate_ids([(Participation, participations), (Agreement, 2), (Region, 0)])

    if connection.vendor != "postgresql":
        assert taken is None
        assert [p.pk for p in participations] == [None, 5, None]
        return
    first, _given, last = participations
    assert taken[0] == [first.pk, last.pk] and first.pk < last.pk
    assert len(taken[1]) == 2 and taken[2] == []
    # The next INSERT takes an id past those.
    assert Agreement.objects.create(
        partnership=PartnershipFactory(), kind="other", title_en="Next"
    ).pk > max(taken[1])
