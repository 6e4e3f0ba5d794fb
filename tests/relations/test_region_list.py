import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from relations import views
from relations.models import Partnership
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory, home_region
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def _url(language="en", query=""):
    with translation.override(language):
        return reverse("relations:region_list") + query


def _partner(name_en, country="CN", **names):
    region = RegionFactory(name_en=name_en, country=country, **names)
    PartnershipFactory(partner_region=region)
    return region


def _sections(html):
    """Return the country headings of the page, in order."""
    return [part.split(">", 1)[1].split("<", 1)[0] for part in html.split('<h2 id="country-')[1:]]


@pytest.fixture
def regions():
    return {
        "jiangsu": _partner("Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省"),
        "liaoning": _partner("Liaoning Province", name_ko="랴오닝성"),
        "kanagawa": _partner("Kanagawa Prefecture", country="JP", name_ko="가나가와현"),
    }


def test_it_lists_partner_regions_by_country_with_their_partnerships(client, regions):
    AgreementFactory(
        partnership=regions["jiangsu"].partnerships_as_partner.get(),
        kind="sisterhood",
        signed_on=datetime.date(2024, 6, 19),
    )
    r = client.get(_url())
    assert r.status_code == 200
    assert _sections(r.text) == ["China", "Japan"]
    jiangsu = regions["jiangsu"].partnerships_as_partner.get()
    for text in [
        regions["jiangsu"].get_absolute_url(),
        f'<a class="partnership-link" href="{jiangsu.get_absolute_url()}">'
        '<span class="badge level-badge level-sisterhood">Sisterhood</span>',
        "since 19 June 2024",
        regions["kanagawa"].get_absolute_url(),
    ]:
        assert text in r.text
    assert r.text.index("Jiangsu Province") < r.text.index("Liaoning Province")
    assert "2024년 6월 19일 설치" in client.get(_url("ko")).text


def test_it_leaves_out_regions_without_a_partnership(client, regions):
    lonely = RegionFactory(name_en="Atlantis")
    r = client.get(_url())
    assert lonely.get_absolute_url() not in r.text
    home = home_region().get_absolute_url()
    assert f'data-label="Region"><a href="{home}"' not in r.text
    assert f'of <a href="{home}">Gyeonggi Province</a>' in r.text


def test_it_orders_countries_and_regions_by_their_names_in_the_visitors_language(client, regions):
    r = client.get(_url("ko"))
    # 일본 (Japan) before 중국 (China); 랴오닝성 before 장쑤성.
    assert _sections(r.text) == ["일본", "중국"]
    assert r.text.index("랴오닝성") < r.text.index("장쑤성")


@pytest.mark.parametrize(("language", "name"), [("ko", "장쑤성"), ("zh-hans", "江苏省")])
def test_it_shows_names_in_the_visitors_language(client, regions, language, name):
    r = client.get(_url(language))
    assert f">{name}</a>" in r.text
    # Liaoning has no Chinese name: shown in English, marked so.
    if language == "zh-hans":
        assert '<span lang="en">Liaoning Province</span>' in r.text


def test_it_shows_one_country(client, regions):
    r = client.get(_url(query="?country=JP"))
    assert _sections(r.text) == ["Japan"]
    assert "Kanagawa Prefecture" in r.text
    assert "Jiangsu Province" not in r.text
    assert '<a href="?country=JP" aria-current="page">Japan</a>' in r.text


@pytest.mark.parametrize("country", ["XX", "KR", "<script>"])
def test_it_says_a_country_is_unknown_instead_of_failing(client, regions, country):
    r = client.get(_url(query=f"?country={country}"))
    assert r.status_code == 200
    assert "Select a valid choice." in r.text
    assert _sections(r.text) == []
    assert "<script>" not in r.text.split("<main", 1)[1]


def test_it_counts_the_partner_regions_of_each_country(client, regions):
    r = client.get(_url())
    counts = '<a href="?country=CN">China</a> <span class="text-body-secondary small">(2)</span>'
    assert counts in r.text


def test_it_pages_through_the_regions(client, regions, monkeypatch):
    monkeypatch.setattr(views, "REGIONS_PER_PAGE", 2)
    first, second = client.get(_url()), client.get(_url(query="?page=2"))
    assert (_sections(first.text), _sections(second.text)) == (["China"], ["Japan"])
    assert 'rel="next" href="?page=2"' in first.text
    assert client.get(_url(query="?page=3")).status_code == 404
    assert client.get(_url(query="?page=abc")).status_code == 404


def _region_names(html):
    return re.findall(r'<th scope="row" data-label="Region"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("query", ["", "country=JP&"])
@pytest.mark.parametrize("per_page", [2, 3, 50])
def test_its_pages_together_hold_every_region_once_in_order(client, monkeypatch, per_page, query):
    # Each page reads only the countries it spans: pages that begin or end inside a
    # country, or span two, must still join up.
    monkeypatch.setattr(views, "REGIONS_PER_PAGE", per_page)
    names = {"JP": ["Aichi", "Chiba", "Ehime", "Fukui"], "CN": ["Anhui", "Hebei", "Hunan"]}
    names["VN"] = ["Ha Noi", "Hue"]
    for country, regions in names.items():
        for name in reversed(regions):
            _partner(name, country=country)
    order = ["CN", "JP", "VN"] if not query else ["JP"]  # China, Japan, Viet Nam
    expected = [name for country in order for name in names[country]]
    listed, page = [], 1
    while len(listed) < len(expected):
        response = client.get(_url(query=f"?{query}page={page}"))
        assert response.status_code == 200
        listed += _region_names(response.text)
        page += 1
    assert listed == expected
    assert client.get(_url(query=f"?{query}page={page}")).status_code == 404


def test_it_says_when_no_region_has_a_partnership(client):
    assert "No region has a partnership yet." in client.get(_url()).text


def test_it_reads_a_later_page_in_as_many_queries_as_the_first(client, monkeypatch):
    # Intended to prevent an n+1 issue: one query for every region's partnerships.
    monkeypatch.setattr(views, "REGIONS_PER_PAGE", 3)
    for index in range(4):
        _partner(f"Region in China {index}")
        _partner(f"Region in Japan {index}", country="JP")
    first = count_queries(client, _url())
    for index in range(20):
        _partner(f"Region in Viet Nam {index}", country="VN")
    assert Partnership.objects.count() == 28
    assert count_queries(client, _url()) == first
    assert count_queries(client, _url(query="?page=9")) == first
    assert count_queries(client, _url(query="?country=VN&page=2")) == first


def test_it_shows_an_edit_on_the_next_request(client, regions, django_assert_num_queries):
    client.get(_url())
    with django_assert_num_queries(0):  # the page is cached ...
        client.get(_url())

    kanagawa = regions["kanagawa"]
    kanagawa.name_en = "Kanagawa"
    kanagawa.save()

    assert "Kanagawa Prefecture" not in client.get(_url()).text  # ... and shows a rename at once


def test_the_menu_leads_to_it(client, regions):
    r = client.get(regions["jiangsu"].get_absolute_url())
    assert f'<a class="nav-link active" aria-current="page" href="{_url()}">Regions</a>' in r.text
