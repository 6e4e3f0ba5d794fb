import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from core.i18n import text_in
from core.partial_dates import PartialDate
from news.models import Article, ChangeNote
from news.rendering import render_markdown
from portal import demo_article
from relations.models import Agreement

pytestmark = pytest.mark.django_db

SLUG = "from-friendship-to-sisterhood-gyeonggi-jiangsu"
ARTICLE_MODELS = [
    Article,
    Article.partnerships.through,
    Article.regions.through,
    Article.fields.through,
]


def seed():
    call_command("seed_demo", stdout=StringIO())


def article():
    return Article.objects.get(slug=SLUG)


def dump():
    """Every column of the article and its links."""
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in ARTICLE_MODELS}


def words(text):
    """The words of a text, without Markdown's block markers or the ▲ of the announcement."""
    text = re.sub(r"^\s*(?:>|-)\s+", "", text, flags=re.MULTILINE).replace("▲", " ")
    return text.split()


def announcement_lines():
    lines = demo_article.ANNOUNCEMENT.read_text(encoding="utf-8").strip().splitlines()
    return lines[0], lines[1:-1], lines[-1]


def test_it_loads_one_published_english_article_with_a_korean_translation():
    seed()
    a = article()
    assert (a.status, a.original_language) == (Article.Status.PUBLISHED, "en")
    assert a.available_languages() == ["en", "ko"]
    assert a.title_en == "From Friendship to Sisterhood: Gyeonggi Province and Jiangsu Province"
    assert a.title_ko == "우호에서 자매결연으로: 경기도와 장쑤성"
    assert (a.title_zh_hans, a.body_zh_hans, a.body_html_zh_hans) == ("", "", "")
    assert Article.objects.count() == 1


def test_it_publishes_it_on_the_day_of_the_english_release_in_seoul():
    seed()
    publish_at = timezone.localtime(article().publish_at, timezone=datetime.UTC)
    assert publish_at == datetime.datetime(2024, 6, 19, 1, 0, tzinfo=datetime.UTC)
    assert Article.objects.public().filter(slug=SLUG).exists()


def test_it_marks_every_translation_as_up_to_date():
    seed()
    a = article()
    assert (a.original_revision, a.revision_en, a.revision_ko, a.revision_zh_hans) == (
        1,
        1,
        1,
        None,
    )
    assert not a.is_translation_stale("ko")


def test_it_links_the_partnership_the_regions_and_the_fields_the_text_names():
    seed()
    a = article()
    assert list(a.partnerships.values_list("slug", flat=True)) == ["jiangsu"]
    assert sorted(a.regions.values_list("slug", flat=True)) == ["gyeonggi", "jiangsu"]
    assert a.fields.count() == 12


def test_it_keeps_the_words_of_the_announcement():
    title, body, last = announcement_lines()
    assert last == title == demo_article.TITLE.en
    assert words(demo_article.BODY.en) == words("\n".join(body))


def test_it_stores_the_words_of_the_announcement_in_the_database():
    seed()
    _title, body, _last = announcement_lines()
    assert words(article().body_en) == words("\n".join(body))


def test_it_keeps_the_date_as_published_in_the_text():
    assert "On May 19," in demo_article.BODY.en
    assert "5월 19일" in demo_article.BODY.ko


@pytest.mark.parametrize("language", ["en", "ko"])
def test_it_renders_the_quotation_as_a_block_quote_and_the_points_as_a_list(language):
    seed()
    with translation.override(language):
        html = article().body_html
    assert html.count("<blockquote>") == 1
    assert re.search(r"<blockquote>\s*<p>\"[^<]+\"</p>\s*</blockquote>", html)
    items = re.search(r"<ul>(.*?)</ul>", html, flags=re.DOTALL).group(1)
    assert items.count("<li>") == 3
    assert "▲" not in html
    assert html == render_markdown(getattr(demo_article.BODY, language))


def test_it_translates_the_structure_paragraph_for_paragraph():
    english, korean = (
        [block.split(" ", 1)[0] if block[0] in ">-" else "p" for block in body.split("\n\n")]
        for body in demo_article.BODY
        if body
    )
    assert korean == english


def test_it_names_people_and_places_as_korean_readers_know_them():
    body = demo_article.BODY.ko
    for name in [
        "김동연",
        "신창싱",
        "도담소",
        "팡쿤",
        "박정",
        "박승희",
        "이수일",
        "허리펑",
        "하오펑",
    ]:
        assert name in body
    for place in ["경기도", "장쑤성", "광둥성", "산둥성", "랴오닝성"]:
        assert place in body


def test_it_summarizes_in_english_and_korean():
    seed()
    a = article()
    assert a.summary_en.startswith("Gyeonggi Province has officially established")
    assert a.summary_ko.startswith("경기도가 장쑤성과 공식적으로 자매결연을 맺었습니다")
    assert a.summary_zh_hans == ""


def test_it_changes_nothing_when_run_twice():
    seed()
    first = dump()
    seed()
    assert dump() == first
    assert len(first["news.Article_fields"]) == 12


def test_it_keeps_staffs_edits_of_the_article():
    seed()
    Article.objects.filter(slug=SLUG).update(title_ko="", status=Article.Status.ARCHIVED)
    article().regions.clear()
    seed()
    a = article()
    assert (a.title_ko, a.status, a.regions.count()) == ("", "archived", 0)


def test_it_tells_readers_the_date_of_the_agreement_record_in_each_language_of_the_article():
    seed()
    a = article()
    [note] = a.change_notes.all()
    signed = PartialDate.of(
        Agreement.objects.get(partnership__slug="jiangsu", kind=Agreement.Kind.SISTERHOOD),
        "signed_on",
    )
    assert a.available_languages() == ["en", "ko"]
    for language in a.available_languages():
        with translation.override(language):
            assert str(signed) in text_in(note, "text", language)
    assert str(signed) == "19 June 2024"
    assert "May 19" in note.text_en and "5월 19일" in note.text_ko
    assert note.text_zh_hans in ("", None)
    assert note.date == datetime.date(2024, 6, 19)


@pytest.mark.parametrize(("language", "date"), [("en", "19 June 2024"), ("ko", "2024년 6월 19일")])
def test_it_shows_the_note_under_the_article(client, language, date):
    seed()
    with translation.override(language):
        html = client.get(article().get_absolute_url()).content.decode()
    updates = html[html.index('class="article-updates') :]
    assert f'<time class="fw-semibold" datetime="2024-06-19">{date}</time>' in updates
    assert text_in(article().change_notes.get(), "text", language) in updates


def test_it_adds_the_note_to_an_article_loaded_before_notes_existed():
    seed()
    ChangeNote.objects.all().delete()
    seed()
    assert article().change_notes.count() == 1


def test_it_counts_the_article_in_its_summary_line():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue().strip().endswith("1 news article.")
