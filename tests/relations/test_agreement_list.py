import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.partial_dates import Precision
from relations.models import Agreement
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    PartnershipFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def _url(language="en"):
    with translation.override(language):
        return reverse("relations:agreement_list")


def _titles(response):
    return [a.title_en for a in response.context["page"].object_list]


@pytest.fixture
def jiangsu():
    partner = RegionFactory(
        name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
    )
    return PartnershipFactory(partner_region=partner)


@pytest.fixture
def osaka():
    partner = RegionFactory(
        name_en="Osaka Prefecture", name_ko="오사카부", country="JP", slug="osaka"
    )
    return PartnershipFactory(partner_region=partner)


@pytest.fixture
def agreements(jiangsu, osaka):
    semiconductors = CooperationFieldFactory(slug="semiconductors", name_en="Semiconductors")
    AgreementFactory(
        partnership=jiangsu,
        kind=Agreement.Kind.FRIENDSHIP,
        title_en="Friendly relationship",
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )
    AgreementFactory(
        partnership=jiangsu,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement",
        title_ko="자매결연 협정",
        venue_en="Dodamso",
        signed_on=datetime.date(2024, 6, 19),
        fields=[semiconductors],
    )
    AgreementFactory(
        partnership=osaka,
        kind=Agreement.Kind.MOU,
        title_en="Tourism MOU",
        summary_zh_hans="旅游合作",
        status=Agreement.Status.EXPIRED,
        signed_on=datetime.date(2015, 3, 1),
        signed_on_precision=Precision.MONTH,
    )


def test_it_lists_agreements_newest_first(client, agreements):
    r = client.get(_url())
    assert r.status_code == 200
    assert _titles(r) == ["Sisterhood Agreement", "Tourism MOU", "Friendly relationship"]
    for text in [
        "Jiangsu Province",
        "Sisterhood agreement",
        "19 June 2024",
        "March 2015",
        "Expired",
        "In force",
    ]:
        assert text in r.text


def test_it_shows_the_partnerships_level(client, agreements):
    r = client.get(_url())
    row = r.text.split("Tourism MOU")[1].split("</tr>")[0]
    assert "level-cooperation" in row
    row = r.text.split("Friendly relationship")[1].split("</tr>")[0]
    assert "level-sisterhood" in row


@pytest.mark.parametrize(
    ("language", "title", "partner", "date"),
    [
        ("en", "Sisterhood Agreement", "Jiangsu Province", "19 June 2024"),
        ("ko", "자매결연 협정", "장쑤성", "2024년 6월 19일"),
        ("zh-hans", "Sisterhood Agreement", "江苏省", "2024年6月19日"),
    ],
)
def test_it_shows_the_visitors_language(client, agreements, language, title, partner, date):
    r = client.get(_url(language))
    assert title in r.text
    assert partner in r.text
    assert date in r.text


def test_it_marks_a_title_shown_in_another_language(client, agreements):
    r = client.get(_url("zh-hans"))
    assert '<span lang="en">Sisterhood Agreement</span>' in r.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"partner": "osaka"}, ["Tourism MOU"]),
        ({"country": "CN"}, ["Sisterhood Agreement", "Friendly relationship"]),
        ({"kind": "friendship"}, ["Friendly relationship"]),
        ({"level": "sisterhood"}, ["Sisterhood Agreement", "Friendly relationship"]),
        ({"status": "expired"}, ["Tourism MOU"]),
        ({"field": "semiconductors"}, ["Sisterhood Agreement"]),
        ({"year_from": "2015"}, ["Sisterhood Agreement", "Tourism MOU"]),
        ({"year_to": "2015"}, ["Tourism MOU", "Friendly relationship"]),
        ({"year_from": "2011", "year_to": "2011"}, ["Friendly relationship"]),
        ({"q": "dodamso"}, ["Sisterhood Agreement"]),
        ({"q": "자매결연"}, ["Sisterhood Agreement"]),
        ({"q": "旅游"}, ["Tourism MOU"]),
        ({"q": "오사카"}, ["Tourism MOU"]),
        ({"q": "  "}, ["Sisterhood Agreement", "Tourism MOU", "Friendly relationship"]),
        ({"kind": "sisterhood", "country": "JP"}, []),
    ],
)
def test_it_filters(client, agreements, params, expected):
    r = client.get(_url(), params)
    assert r.status_code == 200
    assert _titles(r) == expected


# ---- The partner: typed as a name or a slug, one of thousands, never a select of them all


@pytest.mark.parametrize("typed", ["osaka", "Osaka Prefecture", "osaka prefecture", "오사카부"])
def test_it_takes_the_partner_by_slug_or_by_name_in_any_language(client, agreements, typed):
    r = client.get(_url(), {"partner": typed})
    assert _titles(r) == ["Tourism MOU"]


def test_it_takes_a_partner_by_part_of_its_name_when_only_one_has_it(client, agreements):
    assert _titles(client.get(_url(), {"partner": "saka"})) == ["Tourism MOU"]


def test_it_renders_the_partner_as_an_input_with_suggestions_not_a_select(client, agreements):
    r = client.get(_url())
    field = r.text[r.text.index('name="partner"') - 200 : r.text.index('name="partner"') + 300]
    assert "<select" not in field
    assert 'data-suggest="/en/agreements/suggestions/partner/"' in field
    assert "/static/js/lookup.js" in r.text


def test_it_offers_each_partner_a_name_could_mean(client, agreements):
    RegionFactory(name_en="Osaka City", slug="osaka-city", country="JP")
    PartnershipFactory(partner_region=RegionFactory.create(name_en="Osaka Bay", slug="bay"))
    r = client.get(_url(), {"partner": "Osaka", "kind": "mou"})
    assert _titles(r) == []
    assert "“Osaka” could be several partner regions: choose one below." in r.text
    # Only partners are offered, each a link that keeps the other filters.
    assert 'href="?partner=osaka&amp;kind=mou">Osaka Prefecture (Japan)</a>' in r.text
    assert 'href="?partner=bay&amp;kind=mou">Osaka Bay (China)</a>' in r.text
    assert "Osaka City" not in r.text


@pytest.mark.parametrize("typed", ["atlantis", "not-a-partner", "home"])
def test_it_says_so_when_no_partner_matches(client, agreements, typed):
    RegionFactory(slug="not-a-partner")
    r = client.get(_url(), {"partner": typed})
    assert _titles(r) == []
    assert f"No partner region matches “{typed}”." in r.text


def test_it_suggests_partners_as_json(client, agreements):
    RegionFactory(name_en="Jiangsu Lake", slug="lake")  # not a partner
    r = client.get(reverse("relations:filter_suggestions", kwargs={"name": "partner"}), {"q": "J"})
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"results": [{"value": "jiangsu", "label": "Jiangsu Province (China)"}]}


def test_it_suggests_in_the_visitors_language(client, agreements):
    with translation.override("ko"):
        url = reverse("relations:filter_suggestions", kwargs={"name": "partner"})
    r = client.get(url, {"q": "오사카"})
    assert r.json()["results"] == [{"value": "osaka", "label": "오사카부 (일본)"}]


@pytest.mark.parametrize("query", ["", "   ", "\x00", "x" * 1000])
def test_it_suggests_nothing_for_nothing(client, agreements, query):
    url = reverse("relations:filter_suggestions", kwargs={"name": "partner"})
    assert client.get(url, {"q": query}).json() == {"results": []}


def test_it_has_suggestions_only_for_its_lookup_filters(client):
    url = reverse("relations:filter_suggestions", kwargs={"name": "country"})
    assert client.get(url, {"q": "C"}).status_code == 404


def test_it_rejects_a_year_range_the_wrong_way_round(client, agreements):
    r = client.get(_url(), {"year_from": "2020", "year_to": "2010"})
    assert _titles(r) == []
    assert "The first year cannot be later than the last year." in r.text


def test_it_renders_the_filter_form_with_crispy_forms(client, agreements):
    r = client.get(_url())
    assert 'class="filter-panel' in r.text
    assert 'id="div_id_year_from"' in r.text


def test_it_paginates_twenty_per_page_and_keeps_the_filters(client, jiangsu):
    for n in range(25):
        AgreementFactory(partnership=jiangsu, title_en=f"Agreement {n}")
    r = client.get(_url(), {"kind": "cooperation"})
    assert len(r.context["page"].object_list) == 20
    assert 'href="?kind=cooperation&amp;page=2"' in r.text
    r = client.get(_url(), {"kind": "cooperation", "page": "2"})
    assert len(r.context["page"].object_list) == 5
    assert 'href="?kind=cooperation&amp;page=1"' in r.text


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", str(10**30), "1.5"])
def test_it_answers_404_for_a_page_that_does_not_exist(client, agreements, page):
    assert client.get(_url(), {"page": page}).status_code == 404


def test_it_shows_an_empty_first_page(client):
    r = client.get(_url())
    assert r.status_code == 200
    assert "No agreements match these filters." in r.text
