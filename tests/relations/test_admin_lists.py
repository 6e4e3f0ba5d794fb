"""The registry's change lists at a national registry's size: counts, search, pages, queries."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection

from core.admin.paginator import estimated_count
from relations.models import Agreement, Exchange, Partnership
from tests.factories import (
    AgreementFactory,
    ExchangeFactory,
    PartnershipFactory,
    RegionFactory,
)
from tests.pages import count_queries

pytestmark = pytest.mark.django_db

LISTS = {
    "agreements": "/admin/relations/agreement/",
    "exchanges": "/admin/relations/exchange/",
    "partnerships": "/admin/relations/partnership/",
    "regions": "/admin/relations/region/",
    "people": "/admin/relations/person/",
    "working groups": "/admin/relations/workinggroup/",
    "fields": "/admin/relations/cooperationfield/",
}


def titles(response):
    return [str(row) for row in response.context["cl"].result_list]


@pytest.fixture
def jiangsu():
    region = RegionFactory(slug="jiangsu", name_en="Jiangsu Province", name_ko="장쑤성")
    return PartnershipFactory(partner_region=region)


@pytest.mark.parametrize("name", LISTS)
def test_it_runs_as_many_queries_for_ten_times_the_records(admin_client, name):
    # Intended to prevent n+1 queries and counts that grow with the table.
    AgreementFactory()
    ExchangeFactory()
    before = count_queries(admin_client, LISTS[name])
    AgreementFactory.create_batch(9)
    ExchangeFactory.create_batch(9)
    assert count_queries(admin_client, LISTS[name]) == before


@pytest.mark.parametrize("name", LISTS)
def test_it_counts_a_small_table_exactly_and_never_twice(admin_client, name):
    AgreementFactory.create_batch(3)
    r = admin_client.get(LISTS[name] + "?q=zzz")
    cl = r.context["cl"]
    assert cl.full_result_count is None  # show_full_result_count = False
    model = cl.model
    assert cl.result_count == 0
    assert admin_client.get(LISTS[name]).context["cl"].result_count == model.objects.count()


def test_it_lists_fifty_agreements_a_page_in_their_order(admin_client, jiangsu):
    AgreementFactory.create_batch(60, partnership=jiangsu)
    expected = list(Agreement.objects.values_list("pk", flat=True))
    first = admin_client.get(LISTS["agreements"]).context["cl"].result_list
    second = admin_client.get(LISTS["agreements"] + "?p=2").context["cl"].result_list
    assert [a.pk for a in first] + [a.pk for a in second] == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("sisterhood", ["Sisterhood Agreement"]),
        ("자매결연", ["Sisterhood Agreement"]),
        ("Dodamso", ["Sisterhood Agreement"]),  # the venue
        ("장쑤성", ["Sisterhood Agreement", "Friendship"]),  # the partner's name
        ('"Sisterhood Agreement" Jiangsu', ["Sisterhood Agreement"]),
        ("sisterhood osaka", []),
    ],
)
def test_it_searches_agreements_in_every_language(admin_client, jiangsu, search, expected):
    AgreementFactory(
        partnership=jiangsu,
        title_en="Sisterhood Agreement",
        title_ko="자매결연 협정",
        venue_en="Dodamso",
    )
    AgreementFactory(partnership=jiangsu, title_en="Friendship")
    AgreementFactory(title_en="Other")
    r = admin_client.get(LISTS["agreements"], {"q": search})
    assert sorted(titles(r)) == sorted(expected)


def test_it_searches_exchanges_by_title_or_partner(admin_client, jiangsu):
    ExchangeFactory(partnership=jiangsu, title_en="Medical training")
    ExchangeFactory(title_en="Student exchange", title_zh_hans="学生交流")
    assert titles(admin_client.get(LISTS["exchanges"], {"q": "学生"})) == ["Student exchange"]
    assert titles(admin_client.get(LISTS["exchanges"], {"q": "jiangsu"})) == ["Medical training"]


def test_it_offers_the_countries_of_partner_regions(admin_client, jiangsu):
    PartnershipFactory(partner_region=RegionFactory(country="JP"))
    RegionFactory(country="FR")  # not a partner
    r = admin_client.get(LISTS["agreements"])
    spec = next(f for f in r.context["cl"].filter_specs if f.title == "partner country")
    assert [c["display"] for c in spec.choices(r.context["cl"])] == ["All", "China", "Japan"]


def test_it_writes_the_selection_checkbox_as_djangos_widget_does(admin_client):
    agreement = AgreementFactory(title_en="A <b>bold</b> title")
    model_admin = admin.site._registry[Agreement]
    label = f"Select this object for an action - {agreement}"
    attrs = {"class": "action-select", "aria-label": label}
    widget = forms.CheckboxInput(attrs, check_test=lambda value: False)
    assert model_admin.action_checkbox(agreement) == widget.render(
        ACTION_CHECKBOX_NAME, str(agreement.pk)
    )


def test_it_counts_the_whole_table_exactly_below_the_estimate_threshold():
    PartnershipFactory.create_batch(3)
    found = estimated_count(Partnership.objects.all())
    if connection.vendor == "postgresql":
        assert found == 3
    else:
        assert found is None  # SQLite counts as usual


def test_it_never_estimates_a_filtered_list():
    ExchangeFactory()
    assert estimated_count(Exchange.objects.filter(title_en="x")) is None
