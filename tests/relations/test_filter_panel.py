"""The filter panel of the public lists (templates/relations/_filter_panel.html)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

YEAR_ORDER = "The first year cannot be later than the last year."
LISTS = ["relations:partnership_list", "relations:agreement_list", "news:article_list"]


def filter_form(html):
    return re.search(r'<form method="get" class="card-body filter-form".*?</form>', html, re.S)[0]


def test_it_shows_the_year_order_error_once_above_the_fields(client):
    url = reverse("relations:agreement_list")
    html = client.get(url, {"year_from": "2024", "year_to": "2020"}).text
    form = filter_form(html)
    assert html.count(YEAR_ORDER) == 1
    # Not a cell of the fields' grid, where it pushed the first field out of its place.
    assert form.index(YEAR_ORDER) < form.index('class="filter-fields"')
    assert form.index('class="filter-fields"') < form.index('id="id_q"')


def test_it_shows_a_fields_error_next_to_its_field(client):
    html = client.get(reverse("news:article_list"), {"year": "abc"}).text
    form = filter_form(html)
    assert form.count("Enter a whole number.") == 1
    assert 'value="abc"' in form
    assert 'aria-invalid="true"' in form


@pytest.mark.parametrize("name", LISTS)
def test_its_form_submits_to_its_own_page_and_keeps_no_typed_values(client, name):
    form = filter_form(client.get(reverse(name)).text)
    # An empty action is invalid HTML; without one the form submits to the page itself.
    assert "action=" not in form.split(">", 1)[0]
    # Back and Forward show the values of the page's address, not what was typed before.
    assert 'autocomplete="off"' in form.split(">", 1)[0]


@pytest.mark.parametrize("name", LISTS)
def test_its_form_is_a_search_landmark_named_apart_from_the_site_search(client, name):
    html = client.get(reverse(name)).text
    names = re.findall(r'role="search" aria-label="([^"]+)"', html)
    assert len(names) == 2
    assert len(set(names)) == 2
