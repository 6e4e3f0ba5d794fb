import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "from-friendship-to-sisterhood-gyeonggi-jiangsu"
KOREAN_TITLE = "우호에서 자매결연으로: 경기도와 장쑤성"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_it_reads_the_korean_article_from_the_news_list(demo, live_server, page):
    page.goto(f"{live_server.url}/ko/news/")
    assert page.locator("html").get_attribute("lang") == "ko"

    page.get_by_role("link", name=KOREAN_TITLE).first.click()
    page.wait_for_url(re.compile(rf"/ko/news/{SLUG}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == KOREAN_TITLE
    # A sentence of the body only (not of the summary), in Korean.
    page.get_by_text("그는 앞으로 협력할 핵심 분야로 다음을 제시했습니다.").wait_for()

    quotation = page.locator("blockquote")
    assert quotation.count() == 1
    assert "협력 기반은 탄탄하며" in quotation.inner_text()
    points = page.locator("ul", has_text="반도체, 신에너지, 자동차 부품").locator("li")
    assert points.count() == 3
    assert "청년 세대" in points.nth(2).inner_text()
    # The body is in the page's language, not marked as a fallback.
    assert quotation.evaluate("node => node.closest('[lang]').lang") == "ko"


def test_it_shows_the_english_text_with_a_chinese_notice_on_the_chinese_page(
    demo, live_server, page
):
    page.goto(f"{live_server.url}/zh-hans/news/{SLUG}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    english = page.locator('[lang="en"]', has=page.locator("blockquote")).first
    assert "officially established a sisterhood relationship" in english.inner_text()
    assert english.locator("ul li").count() == 3

    # The notice is written in Chinese, names English in Chinese, and sits outside the block.
    notice = page.get_by_text(re.compile("英语")).first
    assert notice.is_visible()
    assert not re.search(r"[A-Za-z]", notice.inner_text())
    assert notice.evaluate("node => node.closest('[lang=\"en\"]') === null")

    # The page's own alternates; the Atom feed's link names the feed's language.
    hreflangs = page.locator("link[rel=alternate][hreflang]:not([type])").evaluate_all(
        "links => links.map(link => link.hreflang)"
    )
    assert sorted(hreflangs) == ["en", "ko"]
