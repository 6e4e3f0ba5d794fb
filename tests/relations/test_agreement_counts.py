"""The partnerships' kept agreement counts, and the agreement list's count taken from them."""

import datetime

import pytest
from django.urls import reverse

from relations.models import Agreement, Partnership
from relations.services import partnership_refresh
from tests.factories import AgreementFactory, CooperationFieldFactory, PartnershipFactory
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def _kept(partnership):
    partnership.refresh_from_db()
    return partnership.agreement_count


def test_it_counts_each_agreement_saved_moved_and_deleted():
    first, second = PartnershipFactory(), PartnershipFactory()
    agreements = AgreementFactory.create_batch(3, partnership=first)
    assert (_kept(first), _kept(second)) == (3, 0)
    agreements[0].partnership = second
    agreements[0].save()
    assert (_kept(first), _kept(second)) == (2, 1)
    agreements[1].delete()
    assert (_kept(first), _kept(second)) == (1, 1)


def test_a_refresh_mends_a_count_written_around_the_signals():
    partnership = PartnershipFactory()
    AgreementFactory.create_batch(2, partnership=partnership)
    Partnership.objects.filter(pk=partnership.pk).update(agreement_count=40)
    partnership_refresh(partnership_ids=[partnership.pk])
    assert _kept(partnership) == 2


def test_a_refresh_of_many_partnerships_reads_their_agreements_at_once(django_assert_num_queries):
    # Their kept fields are wrong, and every one differs: the one UPDATE writes them all.
    partnerships = PartnershipFactory.create_batch(4)
    for count, partnership in enumerate(partnerships[:3], start=1):
        AgreementFactory.create_batch(
            count, partnership=partnership, kind=Agreement.Kind.SISTERHOOD, status="active"
        )
    ids = [p.pk for p in partnerships]
    Partnership.objects.filter(pk__in=ids).update(agreement_count=40, level="", began_on=None)
    # The partnerships, their agreements, the UPDATE; and the savepoint of the transaction.
    with django_assert_num_queries(5):
        partnership_refresh(partnership_ids=ids)
    kept = Partnership.objects.filter(pk__in=ids).order_by("pk")
    assert [(p.agreement_count, bool(p.level), p.began_on is not None) for p in kept] == [
        (1, True, True),
        (2, True, True),
        (3, True, True),
        (0, False, False),
    ]


def _listed_count(client, query):
    response = client.get(reverse("relations:agreement_list") + query)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture
def agreements():
    chinese = PartnershipFactory(partner_region__country="CN")
    japanese = PartnershipFactory(partner_region__country="JP")
    AgreementFactory.create_batch(3, partnership=chinese, kind=Agreement.Kind.FRIENDSHIP)
    AgreementFactory.create_batch(2, partnership=japanese, kind=Agreement.Kind.MOU)
    AgreementFactory(partnership=japanese, signed_on=datetime.date(2001, 5, 1))
    culture, trade = CooperationFieldFactory(slug="culture"), CooperationFieldFactory(slug="trade")
    for agreement in Agreement.objects.order_by("pk")[:4]:
        agreement.fields.add(culture, trade)
    return chinese, japanese


@pytest.mark.parametrize(
    "query, rows",
    [
        ("", {}),
        ("?country=CN", {"partnership__partner_region__country": "CN"}),
        ("?country=JP", {"partnership__partner_region__country": "JP"}),
        ("?level=friendship", {"partnership__level": "friendship"}),
        ("?kind=mou", {"kind": "mou"}),
        ("?year_from=2001", {"signed_on__year__gte": 2001}),
        ("?field=culture", {"fields__slug": "culture"}),
        ("?field=culture&kind=mou", {"fields__slug": "culture", "kind": "mou"}),
    ],
)
def test_the_list_counts_what_it_lists(client, agreements, query, rows):
    """Whether counted from the partnerships or from the agreements, the count is the rows'."""
    assert _listed_count(client, query) == Agreement.objects.filter(**rows).count()


def test_the_list_counts_a_partners_agreements(client, agreements):
    chinese, _japanese = agreements
    assert _listed_count(client, f"?partner={chinese.partner_region.slug}") == 3


def test_a_partnership_filter_is_counted_from_the_partnerships(client, agreements):
    # A kept count that disagrees with the rows shows which count the list took.
    chinese, _japanese = agreements
    Partnership.objects.filter(pk=chinese.pk).update(agreement_count=1000)
    assert _listed_count(client, "?country=CN") == 1000
    assert _listed_count(client, "?country=CN&kind=friendship") == 3


def test_a_field_alone_is_counted_from_its_links(client, agreements):
    assert _listed_count(client, "?field=trade") == 4
    assert _listed_count(client, "?field=nothing") == 0  # a form error: no rows, no count


def test_counting_from_the_partnerships_runs_as_many_queries_at_any_size(client, agreements):
    url = reverse("relations:agreement_list") + "?country=CN"
    before = count_queries(client, url)
    for _ in range(5):
        AgreementFactory.create_batch(3, partnership=PartnershipFactory())
    assert count_queries(client, url) == before
