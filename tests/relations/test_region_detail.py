import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from relations.models import Region
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory, home_region

pytestmark = pytest.mark.django_db


def _url(region, language="en"):
    with translation.override(language):
        return region.get_absolute_url()


@pytest.fixture
def jiangsu():
    province = RegionFactory(
        name_en="Jiangsu Province",
        name_ko="장쑤성",
        name_zh_hans="江苏省",
        description_en="China's second largest provincial economy.",
        population=85_000_000,
        area_km2=Decimal("107200.00"),
        website="https://www.jiangsu.gov.cn/",
        latitude=Decimal("32.061700"),
        longitude=Decimal("118.763300"),
    )
    PartnershipFactory(partner_region=province)
    return province


def test_it_shows_the_profile(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert r.status_code == 200
    for text in [
        "Jiangsu Province",
        "China&#x27;s second largest provincial economy.",
        "China",
        "Province",
        "85,000,000",
        "107,200",
        "https://www.jiangsu.gov.cn/",
        "32.0617, 118.7633",
    ]:
        assert text in r.text


def test_it_links_the_parent_region(client, jiangsu):
    city = RegionFactory(name_en="Nanjing", parent=jiangsu, kind=Region.Kind.CITY)
    r = client.get(_url(city))
    assert jiangsu.get_absolute_url() in r.text
    assert "City" in r.text


def test_it_lists_partnerships_as_partner(client, jiangsu):
    r = client.get(_url(jiangsu))
    assert jiangsu.partnerships_as_partner.get().get_absolute_url() in r.text
    assert "Gyeonggi Province" in r.text


def test_it_lists_partnerships_as_home(client, jiangsu):
    other = PartnershipFactory(partner_region=RegionFactory(name_en="Liaoning Province"))
    r = client.get(_url(home_region()))
    assert "Jiangsu Province" in r.text
    assert other.get_absolute_url() in r.text


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Jiangsu Province"), ("ko", "장쑤성"), ("zh-hans", "江苏省")]
)
def test_it_shows_the_name_in_the_visitors_language(client, jiangsu, language, name):
    r = client.get(_url(jiangsu, language))
    assert f"<h1>{name}</h1>" in r.text
    assert r.context["available_languages"] == ["en", "ko", "zh-hans"]


def test_it_marks_a_description_shown_in_english(client, jiangsu):
    r = client.get(_url(jiangsu, "zh-hans"))
    assert '<div lang="en"><p>China&#x27;s second' in r.text
    assert "fallback-notice" in r.text


def test_it_shows_since_when_a_partnership_exists(client, jiangsu):
    AgreementFactory(
        partnership=jiangsu.partnerships_as_partner.get(), signed_on=datetime.date(2024, 6, 19)
    )
    r = client.get(_url(jiangsu))
    assert "since 19 June 2024" in r.text


def test_it_answers_404_for_an_unknown_slug(client):
    assert client.get("/en/regions/atlantis/").status_code == 404


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Anhui", "Mid Region", "Zhejiang"]), ("ko", ["Alpha-ko", "Mid Region", "Zulu-ko"])],
)
def test_it_lists_the_home_regions_partners_by_name_in_the_visitors_language(
    client, language, expected
):
    for names in [
        {"name_en": "Zhejiang", "name_ko": "Alpha-ko"},
        {"name_en": "Anhui", "name_ko": "Zulu-ko"},
        {"name_en": "Mid Region", "name_ko": ""},  # listed by its English name
    ]:
        PartnershipFactory(partner_region=RegionFactory(**names))
    listed = client.get(_url(home_region(), language)).context["page"].object_list
    with translation.override(language):
        assert [p.partner_region.name for p in listed] == expected
