import datetime
import re

import pytest

from tests.factories import ArticleFactory, PartnershipFactory, RegionFactory

from .helpers_public import listed_slugs, with_hero

pytestmark = pytest.mark.django_db

URL = "/en/news/"


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_it_lists_public_articles_newest_first(client):
    ArticleFactory(slug="older", publish_at=at(2024, 1, 5, 9))
    ArticleFactory(slug="newest", publish_at=at(2025, 3, 1, 9))
    ArticleFactory(slug="middle", publish_at=at(2024, 6, 19, 9))
    r = client.get(URL)
    assert r.status_code == 200
    assert listed_slugs(r) == ["newest", "middle", "older"]


def test_it_shows_the_title_summary_and_date_in_the_office_time_zone(client):
    # 20:00 UTC on 18 June is already 19 June in Seoul.
    ArticleFactory(
        title_en="Sisterhood signed",
        summary_en="Two regions agree.",
        publish_at=at(2024, 6, 18, 20),
    )
    html = client.get(URL).content.decode()
    assert "Sisterhood signed" in html
    assert "Two regions agree." in html
    assert '<time datetime="2024-06-19T05:00:00+09:00">19 June 2024</time>' in html


def test_it_shows_the_date_in_the_korean_locale(client):
    ArticleFactory(title_ko="자매결연", publish_at=at(2024, 6, 18, 20))
    html = client.get("/ko/news/").content.decode()
    assert "2024년 6월 19일" in html


def test_it_shows_the_image_with_a_srcset(client):
    with_hero(ArticleFactory())
    html = client.get(URL).content.decode()
    assert 'src="/media/news/renditions/handshake-960.webp"' in html
    assert (
        'srcset="/media/news/renditions/handshake-480.webp 480w, '
        '/media/news/renditions/handshake-960.webp 960w"'
    ) in html
    assert 'alt="Two governors shake hands"' in html


def test_it_links_the_partnerships_an_article_concerns(client):
    jiangsu = PartnershipFactory(
        partner_region=RegionFactory(slug="jiangsu", name_en="Jiangsu Province")
    )
    ArticleFactory(partnerships=[jiangsu])
    html = client.get(URL).content.decode()
    assert '<a href="/en/partnerships/jiangsu/">Jiangsu Province</a>' in html


def test_it_shows_a_title_in_another_language_with_its_lang(client):
    ArticleFactory(title_en="Only in English")
    html = client.get("/ko/news/").content.decode()
    assert '<span lang="en">Only in English</span>' in html


def test_it_shows_ten_articles_a_page(client):
    for day in range(1, 13):
        ArticleFactory(slug=f"day-{day:02}", publish_at=at(2024, 5, day, 9))
    first = listed_slugs(client.get(URL))
    second = listed_slugs(client.get(URL + "?page=2"))
    assert first == [f"day-{day:02}" for day in range(12, 2, -1)]
    assert second == ["day-02", "day-01"]


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "99999999999999999999"])
def test_it_answers_404_for_a_page_that_does_not_exist(client, page):
    for _ in range(12):
        ArticleFactory()
    assert client.get(URL, {"page": page}).status_code == 404


def test_it_filters_by_partnership(client):
    jiangsu = PartnershipFactory(partner_region=RegionFactory(slug="jiangsu"))
    liaoning = PartnershipFactory(partner_region=RegionFactory(slug="liaoning"))
    ArticleFactory(slug="about-jiangsu", partnerships=[jiangsu])
    ArticleFactory(slug="about-both", partnerships=[jiangsu, liaoning])
    ArticleFactory(slug="about-liaoning", partnerships=[liaoning])
    r = client.get(URL, {"partnership": "jiangsu"})
    assert sorted(listed_slugs(r)) == ["about-both", "about-jiangsu"]


def test_it_filters_by_region(client):
    shenyang = RegionFactory(slug="shenyang")
    ArticleFactory(slug="in-shenyang", regions=[shenyang])
    ArticleFactory(slug="elsewhere", regions=[RegionFactory()])
    assert listed_slugs(client.get(URL, {"region": "shenyang"})) == ["in-shenyang"]


def test_it_filters_by_the_year_in_the_office_time_zone(client):
    # 16:00 UTC on 31 December 2023 is 1 January 2024 in Seoul.
    ArticleFactory(slug="new-year", publish_at=at(2023, 12, 31, 16))
    ArticleFactory(slug="old-year", publish_at=at(2023, 12, 31, 14))
    assert listed_slugs(client.get(URL, {"year": "2024"})) == ["new-year"]
    assert listed_slugs(client.get(URL, {"year": "2023"})) == ["old-year"]


def test_it_combines_filters(client):
    jiangsu = PartnershipFactory(partner_region=RegionFactory(slug="jiangsu"))
    ArticleFactory(slug="jiangsu-2024", partnerships=[jiangsu], publish_at=at(2024, 6, 1))
    ArticleFactory(slug="jiangsu-2023", partnerships=[jiangsu], publish_at=at(2023, 6, 1))
    ArticleFactory(slug="other-2024", publish_at=at(2024, 6, 1))
    r = client.get(URL, {"partnership": "jiangsu", "year": "2024"})
    assert listed_slugs(r) == ["jiangsu-2024"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "twenty"},
        {"year": "2024.5"},
        {"year": "0"},
        {"year": "99999999999999999999999"},
        {"partnership": "no-such-partnership"},
        {"region": "no-such-region"},
        {"region": "<script>alert(1)</script>"},
        {"partnership": "\x00"},
    ],
)
def test_it_shows_the_filter_error_for_junk_input_and_no_results(client, query):
    ArticleFactory(slug="listed")
    r = client.get(URL, query)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Some filters are not valid" in html
    assert "invalid-feedback" in html or "is-invalid" in html
    assert listed_slugs(r) == []
    assert "<script>alert(1)</script>" not in html


def test_it_takes_a_region_or_partnership_by_name_in_any_language(client):
    jiangsu = PartnershipFactory(
        partner_region=RegionFactory(slug="jiangsu", name_en="Jiangsu", name_ko="장쑤성")
    )
    shenyang = RegionFactory(slug="shenyang", name_en="Shenyang", name_zh_hans="沈阳市")
    ArticleFactory(slug="about-jiangsu", partnerships=[jiangsu])
    ArticleFactory(slug="in-shenyang", regions=[shenyang])
    assert listed_slugs(client.get(URL, {"partnership": "장쑤성"})) == ["about-jiangsu"]
    assert listed_slugs(client.get(URL, {"region": "沈阳市"})) == ["in-shenyang"]
    assert listed_slugs(client.get(URL, {"region": "SHENYANG"})) == ["in-shenyang"]


def test_it_renders_inputs_with_suggestions_not_selects_of_every_record(client):
    PartnershipFactory(partner_region=RegionFactory(slug="jiangsu", name_en="Jiangsu"))
    html = client.get(URL).content.decode()
    assert "<select" not in html
    assert 'data-suggest="/en/news/suggestions/partnership/"' in html
    assert 'data-suggest="/en/news/suggestions/region/"' in html


def test_it_suggests_only_regions_with_public_articles(client):
    ArticleFactory(regions=[RegionFactory(slug="shown", name_en="Shown Region")])
    RegionFactory(slug="unused", name_en="Unused Region")
    r = client.get("/en/news/suggestions/region/", {"q": "region"})
    assert r.json() == {"results": [{"value": "shown", "label": "Shown Region (China)"}]}


def test_it_suggests_partnerships_by_partner_in_the_visitors_language(client):
    PartnershipFactory(
        partner_region=RegionFactory(slug="jiangsu", name_en="Jiangsu", name_ko="장쑤성")
    )
    r = client.get("/ko/news/suggestions/partnership/", {"q": "jiang"})
    assert r.json() == {"results": [{"value": "jiangsu", "label": "장쑤성 (중국)"}]}


def test_it_offers_each_region_a_name_could_mean(client):
    for slug in ("lin-a", "lin-b"):
        ArticleFactory(regions=[RegionFactory(slug=slug, name_en="Linping")])
    html = client.get(URL, {"region": "linping", "year": "2024"}).content.decode()
    assert "“linping” could be several regions: choose one below." in html
    assert 'href="?region=lin-a&amp;year=2024">Linping (China)</a>' in html
    assert 'href="?region=lin-b&amp;year=2024">Linping (China)</a>' in html


def test_it_says_so_when_nothing_matches(client):
    html = client.get(URL, {"year": "1990"}).content.decode()
    assert "No news articles match these filters." in html


# ---- The latest news on the home page


def test_it_shows_the_five_newest_articles_first_on_the_home_page(client):
    for day in range(1, 8):
        ArticleFactory(
            slug=f"day-{day}", title_en=f"News of day {day}", publish_at=at(2024, 5, day)
        )
    html = client.get("/en/").content.decode()
    news = html[html.index('id="news-heading"') : html.index('id="glance-heading"')]
    titles = re.findall(r'class="latest-news-title" href="/en/news/([\w-]+)/"', news)
    assert titles == ["day-7", "day-6", "day-5", "day-4", "day-3"]
    assert (
        '<time class="latest-news-date" datetime="2024-05-07T09:00:00+09:00">7 May 2024</time>'
        in news
    )
    assert 'href="/en/news/"' in news


def test_it_says_so_on_the_home_page_when_there_is_no_news(client):
    ArticleFactory(status="draft")
    assert "No news has been published yet." in client.get("/en/").content.decode()
