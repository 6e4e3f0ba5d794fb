"""Site search: the same hits as a plain Python substring search, in every language."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

import portal.search
from news.models import Article
from portal.search import MAX_QUERY_LENGTH, QueryError, normalize_query, search
from relations.models import Agreement, Partnership, Region
from tests.factories import AgreementFactory, ArticleFactory

from .helpers_search import SECRET, jiangsu_records, python_search, search_hits

pytestmark = pytest.mark.django_db

# 1, 2 and 3+ characters in each language, both letter cases, and characters LIKE treats
# specially.
QUERIES = [
    "장",
    "장쑤",
    "장쑤성",
    "도담소",
    "江",
    "江苏",
    "江苏省",
    "京畿道",
    "J",
    "j",
    "ji",
    "JI",
    "Jiangsu",
    "jiangsu",
    "JIANGSU",
    "dodamso",
    "2024",
    "%",
    "_",
    "100%",
    "e_c",
    "  와   장쑤 ",
    "Ｊｉａｎｇｓｕ",  # full-width letters from an East Asian input method
    # Names only of the regions an article is linked to.
    "광둥",
    "广东",
    "Jiangxi",
]


def _url(query, language="en"):
    with translation.override(language):
        return reverse("search") + "?" + urlencode({"q": query})


def _get(client, query, language="en"):
    with translation.override(language):
        return client.get(reverse("search"), {"q": query})


@pytest.fixture
def jiangsu():
    return jiangsu_records()


@pytest.mark.parametrize("query", QUERIES)
def test_it_finds_what_a_python_substring_search_finds(jiangsu, query):
    assert search_hits(query) == python_search(query)


@pytest.mark.parametrize("query", ["장쑤", "江苏", "장", "江", "ji", "JIANGSU"])
def test_it_finds_the_jiangsu_records_by_korean_chinese_and_english_substrings(jiangsu, query):
    hits = search_hits(query)
    assert jiangsu.pk in hits["regions"]
    assert jiangsu.partnerships_as_partner.get().pk in hits["partnerships"]
    sisterhood = Agreement.objects.get(kind=Agreement.Kind.SISTERHOOD)
    assert sisterhood.pk in hits["agreements"]


@pytest.mark.parametrize("query", ["장쑤", "Jiangsu", "jiangsu"])
def test_it_finds_the_public_article(jiangsu, query):
    assert search_hits(query)["news"] == {Article.objects.get(slug="sisterhood-0").pk}


@pytest.mark.parametrize("query", ["江苏", "江", "장쑤", "Jiangsu"])
def test_it_finds_an_article_by_the_names_of_the_partnerships_it_concerns(jiangsu, query):
    # The announcement has no Chinese text: its partnership's partner region's name has.
    assert Article.objects.get(slug="sisterhood-0").pk in search_hits(query)["news"]


@pytest.mark.parametrize("query", ["Guangdong", "광둥", "广东省", "Jiangxi", "장시성", "江西"])
def test_it_finds_an_article_by_the_names_of_the_regions_it_concerns(jiangsu, query):
    assert search_hits(query)["news"] == {Article.objects.get(slug="chinese-0").pk}


def test_it_finds_the_demo_announcement_by_its_partner_region_in_every_language(db):
    call_command("seed_demo", stdout=StringIO())
    announcement = Article.objects.get()
    assert not announcement.title_zh_hans
    for query in ["江苏", "江", "장쑤", "Jiangsu"]:
        assert search_hits(query)["news"] == {announcement.pk}, query


def test_it_finds_a_chinese_article_by_its_body(jiangsu):
    assert search_hits("省代表")["news"] == {Article.objects.get(slug="chinese-0").pk}


def test_it_tells_two_character_korean_words_apart(jiangsu):
    hits = search_hits("장시")
    assert hits["regions"] == {Region.objects.get(slug="jiangxi-0").pk}


def test_it_never_finds_drafts_review_archived_or_scheduled_articles(client, jiangsu):
    for query in ["Hidden", "비공개", "未公开"]:
        assert search_hits(query)["news"] == set()
    html = _get(client, "Hidden").content.decode()
    for name in ["draft", "review", "archived", "scheduled"]:
        assert f"Hidden {name} article" not in html


def test_it_never_searches_internal_notes(client, jiangsu):
    assert search_hits(SECRET) == {
        "news": set(),
        "partnerships": set(),
        "regions": set(),
        "agreements": set(),
    }
    assert search_hits("May 19")["agreements"] == set()
    response = _get(client, SECRET)
    assert response.status_code == 200
    assert response.context["results"].total == 0


def test_it_matches_percent_and_underscore_literally(jiangsu):
    assert search_hits("%")["regions"] == {Region.objects.get(slug="jiangxi-0").pk}
    assert search_hits("_")["agreements"] == {
        Agreement.objects.get(title_en__contains="trade_").pk
    }
    assert search_hits("e_c")["regions"] == {Region.objects.get(slug="jiangxi-0").pk}
    assert search_hits("e%c") == python_search("e%c")


# Each place a pair of letters or digits can stand in a text, and two where it does not.
PAIR_PLACES = {
    "inside a word": "aXqb",
    "ending a word": "Faxq.",
    "starting a word": "xqb, more",
    "alone": "(xq)",
    "at the start and end": "xq",
    "between Chinese characters": "江xq苏",
    "beside accented letters": "éxqé and Éxq",
    "across punctuation": "x-q",
    "across a line": "x\nq",
    "in digits": "Room 1q2",
    "beside a tab and a mark": "\txq\u00a0",
}


@pytest.mark.parametrize("query", ["xq", "XQ", "1q", "q2", "fa", "aé"])
def test_it_finds_a_pair_of_letters_wherever_it_stands(query):
    # Agreements and articles: the kinds whose pairs go through the index on PostgreSQL.
    for text in PAIR_PLACES.values():
        AgreementFactory(title_en=text)
        ArticleFactory(summary_en=text)
    AgreementFactory(title_en="Memorandum", summary_en="x", venue_en="q")  # fields apart

    assert search_hits(query) == python_search(query)


def test_it_limits_each_kind_and_counts_all(jiangsu):
    for n in range(1, 4):
        jiangsu_records(n)
    results = search(query="江苏省", language="en", limit_per_kind=2)
    assert len(results.regions.items) == 2
    assert results.regions.count == 4
    assert results.agreements.count == 4
    assert results.total == sum(group.count for group in results.groups)


def test_it_counts_up_to_the_limit_then_says_there_are_more(client, jiangsu, monkeypatch):
    monkeypatch.setattr(portal.search, "COUNT_LIMIT", 2)
    for n in range(1, 4):
        jiangsu_records(n)
    results = search(query="江苏省", language="en", limit_per_kind=1)
    for group in results.groups:
        assert (group.count, group.more) == (2, True), group.kind
    # The first hit is still the first of all, in each kind's order.
    expected = python_search("江苏省")
    assert results.news.items == [Article.objects.public().filter(pk__in=expected["news"])[0]]
    assert results.agreements.items == [Agreement.objects.filter(pk__in=expected["agreements"])[0]]
    assert results.regions.items == [Region.objects.get(slug="jiangsu-0")]
    assert results.partnerships.items == [Partnership.objects.get(slug="jiangsu-0")]
    html = _get(client, "江苏省").content.decode()
    assert "More than 8 results" in html
    assert '<span class="badge text-bg-secondary">2+</span>' in html
    assert "Showing the first 2 of more than 2. Add a word to narrow the search." in html


def test_it_orders_regions_by_their_name_in_the_visitor_language(jiangsu):
    korean = search(query="성", language="ko").regions.items
    assert [region.slug for region in korean] == ["guangdong-0", "jiangxi-0", "jiangsu-0"]
    english = search(query="성", language="en").regions.items
    assert [region.slug for region in english] == ["guangdong-0", "jiangsu-0", "jiangxi-0"]


class TestNormalizeQuery:
    def test_it_strips_and_collapses_whitespace(self):
        assert normalize_query("  장쑤 \t\n 성\u3000 ") == "장쑤 성"

    def test_it_normalizes_full_width_and_decomposed_text(self):
        assert normalize_query("ＪＩＡＮＧＳＵ") == "JIANGSU"
        assert normalize_query("\u1109\u1161") == "사"  # decomposed Hangul jamo

    def test_it_refuses_nul_characters(self):
        with pytest.raises(QueryError):
            normalize_query("장\x00쑤")

    def test_it_refuses_control_characters_but_takes_any_whitespace(self):
        # The stored text marks Korean and Chinese characters with \x01 (portal.search.backends).
        for query in ["장\x01쑤", "\x07", "a\x1bb"]:
            with pytest.raises(QueryError):
                normalize_query(query)
        assert normalize_query("장\x1c쑤\x85") == "장 쑤"

    def test_it_refuses_more_than_the_limit(self):
        assert normalize_query("가" * MAX_QUERY_LENGTH) == "가" * MAX_QUERY_LENGTH
        with pytest.raises(QueryError):
            normalize_query("가" * (MAX_QUERY_LENGTH + 1))

    def test_it_returns_nothing_for_blank_input(self):
        assert normalize_query(" \t ") == ""


class TestSearchPage:
    def test_it_shows_hits_grouped_by_kind_with_links(self, client, jiangsu):
        response = _get(client, "장쑤", "ko")
        assert response.status_code == 200
        html = response.content.decode()
        assert "장쑤성" in html
        with translation.override("ko"):
            assert jiangsu.get_absolute_url() in html
            assert Article.objects.get(slug="sisterhood-0").get_absolute_url() in html
            partnership = jiangsu.partnerships_as_partner.get()
            assert partnership.get_absolute_url() in html
            sisterhood = Agreement.objects.get(kind=Agreement.Kind.SISTERHOOD)
            assert sisterhood.get_absolute_url() in html
        results = response.context["results"]
        assert [group.kind for group in results.groups] == [
            "news",
            "partnerships",
            "regions",
            "agreements",
        ]

    def test_it_shows_text_in_the_visitor_language(self, client, jiangsu):
        response = _get(client, "Jiangsu", "zh-hans")
        assert "江苏省" in response.content.decode()

    def test_it_marks_fallback_snippets_with_their_language(self, client, jiangsu):
        response = _get(client, "Guangdong", "en")
        assert '<p class="search-hit-snippet mb-0" lang="ko">' in response.content.decode()

    def test_it_says_when_nothing_is_found(self, client, jiangsu):
        response = _get(client, "없는단어")
        assert response.context["results"].total == 0
        assert "Nothing was found" in response.content.decode()

    def test_it_does_not_search_without_a_query(self, client, jiangsu):
        for params in [{}, {"q": ""}, {"q": "   "}]:
            response = client.get(reverse("search"), params)
            assert response.status_code == 200
            assert response.context["results"] is None
            assert response.context["error"] is None

    def test_it_is_not_indexed(self, client, jiangsu):
        response = _get(client, "Jiangsu")
        assert '<meta name="robots" content="noindex">' in response.content.decode()

    def test_it_is_linked_from_every_page(self, client):
        response = client.get(reverse("home"))
        assert f'action="{reverse("search")}"' in response.content.decode()

    def test_it_explains_a_query_that_is_too_long(self, client, jiangsu):
        response = _get(client, "x" * (MAX_QUERY_LENGTH + 1))
        assert response.status_code == 200
        assert response.context["results"] is None
        assert "too long" in response.content.decode()

    def test_it_answers_in_korean(self, client, jiangsu):
        response = _get(client, "장쑤", "ko")
        assert '<html lang="ko">' in response.content.decode()


JUNK = [
    "x" * 10_000,
    "\x00",
    "장쑤\x00' OR 1=1 --",
    "😀🤝",
    "%",
    "_",
    "%%__%%",
    "\\",
    "'; DROP TABLE relations_region; --",
    '"; DROP TABLE news_article; --',
    "\u202eevil\u202c",
    "e\u0301\u200b\ufeff",
    "\u3000" * 200,
]


@pytest.mark.parametrize("query", JUNK)
def test_it_never_fails_on_junk_input(client, jiangsu, query):
    regions, articles = Region.objects.count(), Article.objects.count()
    response = _get(client, query)
    assert response.status_code == 200
    assert (Region.objects.count(), Article.objects.count()) == (regions, articles)


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%FF%FE", "%E2%28%A1"])
def test_it_never_fails_on_bytes_that_are_not_utf8(client, jiangsu, encoded):
    response = client.get(reverse("search") + "?q=" + encoded)
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["\x00", "장\x01쑤", "x" * 10_000])
def test_it_shows_an_error_instead_of_searching_bad_input(client, jiangsu, query):
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, query)
    assert response.context["error"]
    assert response.context["results"] is None
    assert not [q for q in queries if "relations_region" in q["sql"]]


def test_it_runs_eight_queries(django_assert_num_queries, jiangsu):
    # One query for the first hits of each kind and one to count them: never a query per hit.
    with django_assert_num_queries(8):
        search(query="江苏", language="en")


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["Jiangsu", "장", "江苏省", "nothing-matches"])
def test_it_runs_as_many_queries_with_ten_times_the_data(client, jiangsu, query):
    # Intended to prevent n+1 queries: every hit shows related records (partner regions).
    url = _url(query)
    before = _count_queries(client, url)
    for n in range(1, 10):
        jiangsu_records(n)
    assert Region.objects.filter(slug__startswith="jiangsu").count() == 10
    assert _count_queries(client, url) == before
