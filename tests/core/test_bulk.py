import pytest

from core.bulk import InstanceBuilder, plain_queryset
from relations.models import Agreement, Region
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
