"""Bad query input never gives a 500: the form shows the error and the list shows nothing."""

import pytest
from django.urls import reverse

from relations.filters import AgreementFilter, PartnershipFilter
from relations.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

JUNK = [
    "twenty-twenty",
    "x" * 10_000,
    "\x00",
    "2020\x00",
    "😀🤝",
    "مرحبا بالعالم",  # right-to-left text
    "\u202eevil\u202c",  # right-to-left override
    "e\u0301\u200b\ufeff",  # combining mark, zero-width space, byte order mark
    "' OR 1=1 --",
    "%00",
    "-1",
    "0",
    str(10**30),
    "1e5",
    "2020.5",
]
AGREEMENT_FILTERS = [
    "partner",
    "country",
    "kind",
    "level",
    "status",
    "field",
    "year_from",
    "year_to",
    "q",
]
PARTNERSHIP_FILTERS = ["country", "level", "status"]


@pytest.fixture(autouse=True)
def agreement():
    return AgreementFactory(title_en="Visible agreement")


@pytest.mark.parametrize("name", AGREEMENT_FILTERS)
@pytest.mark.parametrize("value", JUNK)
def test_it_never_fails_on_junk_agreement_filters(client, name, value):
    r = client.get(reverse("relations:agreement_list"), {name: value})
    assert r.status_code == 200
    if not r.context["filter"].form.is_valid():
        assert list(r.context["page"].object_list) == []
        assert "invalid-feedback" in r.text


@pytest.mark.parametrize("name", PARTNERSHIP_FILTERS)
@pytest.mark.parametrize("value", JUNK)
def test_it_never_fails_on_junk_partnership_filters(client, name, value):
    r = client.get(reverse("relations:partnership_list"), {name: value})
    assert r.status_code == 200
    assert not r.context["filter"].form.is_valid()
    assert list(r.context["page"].object_list) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("partner", "atlantis"),
        ("country", "XX"),
        ("country", "FR"),  # a real code, but no partner region there
        ("kind", "treaty"),
        ("level", "best-friends"),
        ("status", "on-hold"),
        ("field", "alchemy"),
        ("year_from", "twenty"),
        ("year_to", "0"),
        ("year_from", "10000"),
        ("q", "x" * 201),
        ("q", "dodamso\x00"),
    ],
)
def test_it_finds_nothing_and_says_why_for_invalid_values(name, value):
    filterset = AgreementFilter({name: value}, queryset=Agreement.objects.all())
    assert list(filterset.qs) == []
    assert name in filterset.form.errors


def test_it_finds_everything_for_an_empty_filter():
    filterset = AgreementFilter({}, queryset=Agreement.objects.all())
    assert [a.title_en for a in filterset.qs] == ["Visible agreement"]


def test_it_accepts_the_bounds_of_the_year_range():
    filterset = AgreementFilter({"year_from": "1", "year_to": "9999"})
    assert filterset.form.is_valid()
    assert [a.title_en for a in filterset.qs] == ["Visible agreement"]


def test_it_translates_the_error_message(client):
    r = client.get("/ko/agreements/", {"year_from": "twenty"})
    assert "정수를 입력하세요" in r.text


def test_it_ignores_unknown_parameters(client):
    r = client.get(reverse("relations:agreement_list"), {"utm_source": "\x00" * 50})
    assert [a.title_en for a in r.context["page"].object_list] == ["Visible agreement"]


def test_it_answers_404_for_huge_or_junk_page_numbers(client):
    for page in [str(10**30), "x" * 10_000, "\x00", "😀", "-5"]:
        r = client.get(reverse("relations:agreement_list"), {"page": page})
        assert r.status_code == 404
        r = client.get(reverse("relations:partnership_list"), {"page": page})
        assert r.status_code == 404


def test_it_rejects_junk_for_the_partnership_filter_directly():
    filterset = PartnershipFilter({"country": "CN\x00"})
    assert list(filterset.qs) == []
