import datetime
import re

import pytest

from core.partial_dates import Precision
from relations.models import Agreement
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory, home_region
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def jiangsu():
    region = RegionFactory(
        name_en="Jiangsu Province", name_ko="장쑤성", name_zh_hans="江苏省", slug="jiangsu"
    )
    partnership = PartnershipFactory(partner_region=region)
    AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.FRIENDSHIP,
        title_en="Friendly relationship",
        signed_on=datetime.date(2011, 1, 1),
        signed_on_precision=Precision.YEAR,
    )
    AgreementFactory(
        partnership=partnership,
        kind=Agreement.Kind.SISTERHOOD,
        title_en="Sisterhood Agreement",
        title_ko="자매결연 협정",
        signed_on=datetime.date(2024, 6, 19),
    )
    return partnership


def test_it_lists_the_partnerships_of_the_home_region(client, jiangsu):
    r = client.get("/en/")
    html = r.content.decode()
    assert "Jiangsu Province" in html
    assert "China" in html
    assert "Sisterhood" in html
    assert 'href="/en/partnerships/jiangsu/"' in html
    # The partnership began with the friendly relationship, known only to the year.
    assert '<time datetime="2011">2011</time>' in html


def test_it_shows_the_partner_names_in_korean_on_the_korean_home_page(client, jiangsu):
    r = client.get("/ko/")
    html = r.content.decode()
    assert '<html lang="ko">' in html
    assert "장쑤성" in html
    assert "Jiangsu Province" not in html
    assert 'href="/ko/partnerships/jiangsu/"' in html


def test_it_marks_a_partner_name_that_falls_back_to_english(client):
    PartnershipFactory(partner_region=RegionFactory(name_en="Guangdong Province"))
    r = client.get("/ko/")
    assert '<span lang="en">Guangdong Province</span>' in r.content.decode()


def test_it_leaves_out_the_beginning_of_a_partnership_when_it_is_not_recorded(client, jiangsu):
    PartnershipFactory(partner_region=RegionFactory(name_en="Shandong Province"))
    html = client.get("/en/").content.decode()
    cards = re.findall(r'<article class="card h-100 partnership-card">.*?</article>', html, re.S)
    assert len(cards) == 2
    shandong, jiangsu_card = sorted(cards, key=lambda card: "Jiangsu" in card)
    assert "Since" not in shandong
    assert "date not recorded" not in shandong
    assert "Since" in jiangsu_card


def test_it_leaves_out_partnerships_of_other_regions(client, jiangsu):
    other_home = RegionFactory(name_en="Somewhere else")
    PartnershipFactory(home_region=other_home, partner_region=RegionFactory(name_en="Elsewhere"))
    r = client.get("/en/")
    assert "Elsewhere" not in r.content.decode()


def test_it_shows_the_five_latest_agreements_newest_first(client, jiangsu):
    for year in range(2015, 2021):
        AgreementFactory(
            partnership=jiangsu,
            title_en=f"Agreement of {year}",
            signed_on=datetime.date(year, 3, 1),
        )
    r = client.get("/en/")
    html = r.content.decode()
    titles = ["Sisterhood Agreement"] + [f"Agreement of {year}" for year in (2020, 2019, 2018)]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Agreement of 2017" in html
    assert "Agreement of 2016" not in html
    assert "Friendly relationship" not in html


def test_it_welcomes_visitors_to_the_home_region_portal(client):
    home_region()
    r = client.get("/en/")
    assert "International relations of Gyeonggi Province" in r.content.decode()


def test_it_says_so_when_nothing_is_recorded_yet(client):
    r = client.get("/en/")
    assert r.status_code == 200
    assert "No partnerships have been recorded yet." in r.content.decode()


def test_it_runs_as_many_queries_for_ten_partnerships_as_for_one(client):
    # Intended to prevent an n+1 issue: regions and agreements are read with their rows.
    def add_partnership():
        AgreementFactory(partnership=PartnershipFactory())

    add_partnership()
    with_one = count_queries(client, "/en/")
    for _ in range(9):
        add_partnership()
    assert count_queries(client, "/en/") == with_one


# ---- A bounded summary, not every partnership


def test_it_shows_the_eight_newest_partnerships_only(client):
    for year in range(2001, 2011):
        AgreementFactory(
            partnership=PartnershipFactory(
                partner_region=RegionFactory(name_en=f"Partner of {year}")
            ),
            signed_on=datetime.date(year, 5, 1),
        )
    PartnershipFactory(partner_region=RegionFactory(name_en="Partner of an unknown year"))
    html = client.get("/en/").content.decode()
    cards = re.findall(r'class="stretched-link" href="[^"]+">([^<]+)</a>', html)
    assert cards == [f"Partner of {year}" for year in range(2010, 2002, -1)]
    assert 'href="/en/partnerships/">All partnerships' in html


def test_it_sums_the_partnerships_up_by_level_and_country(client):
    for kind, country in [("sisterhood", "CN"), ("sisterhood", "JP"), ("friendship", "CN")]:
        partner = RegionFactory(country=country)
        AgreementFactory(partnership=PartnershipFactory(partner_region=partner), kind=kind)
    PartnershipFactory(partner_region=RegionFactory(country="US"))  # no agreement, no level
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get("/en/").content.decode()))
    for figure in [
        "4 partnerships",
        "in 3 countries",
        "2 sister regions",
        "1 friendship",
        "0 cooperation partnerships",
    ]:
        assert figure in text
    assert 'href="/en/partnerships/?level=sisterhood"' in client.get("/en/").content.decode()
