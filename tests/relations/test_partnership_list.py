import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.partial_dates import Precision
from relations.models import Agreement, Partnership
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _url(language="en"):
    with translation.override(language):
        return reverse("relations:partnership_list")


@pytest.fixture
def jiangsu():
    partner = RegionFactory(name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省")
    partnership = PartnershipFactory(partner_region=partner)
    AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )
    return partnership


@pytest.fixture
def osaka():
    partner = RegionFactory(name_en="Osaka Prefecture", country="JP", slug="osaka")
    return PartnershipFactory(partner_region=partner, status=Partnership.Status.DORMANT)


def test_it_lists_partnerships_with_level_country_and_since(client, jiangsu):
    r = client.get(_url())
    assert r.status_code == 200
    assert "Jiangsu Province" in r.text
    assert "China" in r.text
    assert "Sisterhood" in r.text
    assert ">2011<" in r.text
    assert jiangsu.get_absolute_url() in r.text


@pytest.mark.parametrize(
    ("language", "level", "none"),
    [("en", "Sisterhood", "no agreement yet"), ("ko", "자매결연", "체결 협정 없음")],
)
def test_each_row_shows_its_level_as_a_badge(client, jiangsu, osaka, language, level, none):
    html = client.get(_url(language)).text
    assert f'<span class="badge level-badge level-sisterhood">{level}</span>' in html
    # A partnership with no agreement yet has no level.
    assert f'<span class="badge level-badge level-none">{none}</span>' in html


@pytest.mark.parametrize(
    ("language", "name", "country"),
    [("en", "Jiangsu Province", "China"), ("ko", "장쑤성", "중국"), ("zh-hans", "江苏省", "中国")],
)
def test_it_shows_names_in_the_visitors_language(client, jiangsu, language, name, country):
    r = client.get(_url(language))
    assert r.status_code == 200
    assert name in r.text
    assert country in r.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Anhui", "Mid Region", "Zhejiang"]),
        # The Korean names (written in Latin letters here, for a plain order), and the
        # English one of the region that has none in Korean, in its place among them.
        ("ko", ["Alpha-ko", "Mid Region", "Zulu-ko"]),
    ],
)
def test_it_lists_partners_by_name_in_the_visitors_language(client, language, expected):
    for names in [
        {"name_en": "Zhejiang", "name_ko": "Alpha-ko"},
        {"name_en": "Anhui", "name_ko": "Zulu-ko"},
        {"name_en": "Mid Region", "name_ko": ""},
    ]:
        PartnershipFactory(partner_region=RegionFactory(**names))
    listed = client.get(_url(language)).context["page"].object_list
    with translation.override(language):
        assert [p.partner_region.name for p in listed] == expected


def test_it_filters_by_country(client, jiangsu, osaka):
    r = client.get(_url(), {"country": "JP"})
    assert "Osaka Prefecture" in r.text
    assert "Jiangsu Province" not in r.text


def test_it_filters_by_level(client, jiangsu, osaka):
    r = client.get(_url(), {"level": "sisterhood"})
    assert "Jiangsu Province" in r.text
    assert "Osaka Prefecture" not in r.text


def test_it_filters_by_status(client, jiangsu, osaka):
    r = client.get(_url(), {"status": "dormant"})
    assert "Osaka Prefecture" in r.text
    assert "Jiangsu Province" not in r.text


def test_it_offers_only_countries_of_partner_regions(client, jiangsu, osaka):
    RegionFactory(country="FR")
    r = client.get(_url())
    assert 'value="JP"' in r.text
    assert 'value="FR"' not in r.text


def test_it_shows_no_results_and_the_error_for_an_unknown_code(client, jiangsu):
    r = client.get(_url(), {"level": "best-friends"})
    assert r.status_code == 200
    assert "Jiangsu Province" not in r.text.split("</form>")[1]
    assert "Select a valid choice" in r.text


def test_it_translates_the_filter_error(client, jiangsu):
    r = client.get(_url("ko"), {"status": "nope"})
    assert "올바르게 선택해 주세요" in r.text
