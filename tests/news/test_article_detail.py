import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from news.models import Article
from tests.factories import ArticleFactory, PartnershipFactory, RegionFactory
from tests.staff import staff_client

from .helpers_public import bilingual_article, hreflangs, json_ld, with_hero

pytestmark = pytest.mark.django_db


def test_it_shows_the_article_in_english(client):
    article = bilingual_article(publish_at=datetime.datetime(2024, 6, 18, 20, tzinfo=datetime.UTC))
    r = client.get(f"/en/news/{article.slug}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>From Friendship to Sisterhood</h1>" in html
    assert "<blockquote>\n<p>A new chapter.</p>\n</blockquote>" in html
    assert "<li>one</li>" in html
    assert '<time datetime="2024-06-19T05:00:00+09:00">19 June 2024</time>' in html
    assert "fallback-notice" not in html
    assert "stale-notice" not in html


def test_it_shows_the_korean_translation_with_a_korean_date(client):
    article = bilingual_article(publish_at=datetime.datetime(2024, 6, 18, 20, tzinfo=datetime.UTC))
    html = client.get(f"/ko/news/{article.slug}/").content.decode()
    assert "<h1>우호에서 자매결연으로</h1>" in html
    assert "<li>하나</li>" in html
    assert "2024년 6월 19일" in html
    assert 'class="article-content">' in html  # no lang: the page's own language
    assert "fallback-notice" not in html


def test_it_shows_english_with_a_chinese_notice_where_no_chinese_exists(client):
    article = bilingual_article()
    html = client.get(f"/zh-hans/news/{article.slug}/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<div class="article-content" lang="en">' in html
    assert "<h1>From Friendship to Sisterhood</h1>" in html
    with translation.override("zh-hans"):
        notice = translation.gettext(
            "This content is not available in %(visitor)s; it is shown in %(shown)s."
        ) % {"visitor": "简体中文", "shown": "英语"}
    # The same notice as a record's, set out for the whole page.
    assert f'<p class="fallback-notice alert alert-info">{notice}</p>' in html
    # The notice names the languages in Chinese, and sits outside the English block.
    assert "简体中文" in notice
    assert html.index("fallback-notice") < html.index('class="article-content" lang="en"')


def test_it_lists_only_the_existing_languages_as_alternates(client):
    article = bilingual_article()
    html = client.get(f"/zh-hans/news/{article.slug}/").content.decode()
    assert hreflangs(html) == ["en", "ko"]


def test_it_falls_back_to_korean_for_an_article_written_only_in_korean(client):
    article = ArticleFactory(title_en="", summary_en="", body_en="", title_ko="한국어 기사")
    html = client.get(f"/en/news/{article.slug}/").content.decode()
    assert '<div class="article-content" lang="ko">' in html
    assert "<h1>한국어 기사</h1>" in html
    assert "This content is not available in English; it is shown in Korean." in html
    assert hreflangs(html) == ["ko"]


def test_it_says_when_the_original_changed_since_the_translation(client):
    article = bilingual_article(original_revision=2, revision_ko=1)
    assert article.is_translation_stale("ko")
    html = client.get(f"/ko/news/{article.slug}/").content.decode()
    with translation.override("ko"):
        notice = translation.gettext(
            "The original of this article has been updated since this translation was made."
        )
    assert f'<p class="stale-notice alert alert-info">{notice}</p>' in html
    assert "<h1>우호에서 자매결연으로</h1>" in html


def test_it_does_not_call_an_up_to_date_translation_stale(client):
    article = bilingual_article(original_revision=2, revision_ko=2)
    html = client.get(f"/ko/news/{article.slug}/").content.decode()
    assert "stale-notice" not in html
    # Nor the original itself.
    assert "stale-notice" not in client.get(f"/en/news/{article.slug}/").content.decode()


def test_it_shows_the_hero_image_with_srcset_alt_and_caption(client):
    article = with_hero(ArticleFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<img class="figure-img img-fluid" src="/media/news/renditions/handshake-960.webp" '
        'srcset="/media/news/renditions/handshake-480.webp 480w, '
        '/media/news/renditions/handshake-960.webp 960w"'
    ) in html
    assert 'alt="Two governors shake hands">' in html
    assert '<figcaption class="figure-caption">At Dodamso</figcaption>' in html


def test_it_links_the_partnerships_and_regions_it_concerns(client):
    jiangsu = RegionFactory(slug="jiangsu", name_en="Jiangsu Province")
    partnership = PartnershipFactory(partner_region=jiangsu)
    article = ArticleFactory(partnerships=[partnership], regions=[jiangsu])
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/en/partnerships/jiangsu/">Gyeonggi Province – Jiangsu Province</a>' in html
    assert '<a href="/en/regions/jiangsu/">Jiangsu Province</a>' in html


def test_it_carries_a_canonical_link_and_opengraph_tags(client):
    article = with_hero(bilingual_article(slug="sisterhood"))
    html = client.get("/ko/news/sisterhood/").content.decode()
    assert '<link rel="canonical" href="http://testserver/ko/news/sisterhood/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="우호에서 자매결연으로">' in html
    assert (
        '<meta property="og:description" content="경기도와 장쑤성이 자매결연을 맺었다.">' in html
    )
    assert '<meta property="og:url" content="http://testserver/ko/news/sisterhood/">' in html
    assert (
        '<meta property="og:image" '
        'content="http://testserver/media/news/renditions/handshake-960.webp">'
    ) in html
    assert '<meta property="og:locale" content="ko_KR">' in html
    assert '<meta property="og:locale:alternate" content="en_US">' in html
    assert article.slug == "sisterhood"


def test_it_uses_the_public_url_for_absolute_links(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    with_hero(ArticleFactory(slug="sisterhood"))
    html = client.get("/en/news/sisterhood/").content.decode()
    assert '<link rel="canonical" href="https://portal.example.org/en/news/sisterhood/">' in html
    assert (
        '<meta property="og:image" '
        'content="https://portal.example.org/media/news/renditions/handshake-960.webp">'
    ) in html
    assert "testserver" not in html


def test_it_describes_the_article_as_schema_org_json_ld(client):
    published = datetime.datetime(2024, 6, 19, 1, tzinfo=datetime.UTC)
    article = with_hero(bilingual_article(slug="sisterhood", publish_at=published))
    data = json_ld(client.get("/ko/news/sisterhood/").content.decode())
    article.refresh_from_db()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "우호에서 자매결연으로"
    assert data["inLanguage"] == "ko"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == published
    assert datetime.datetime.fromisoformat(data["dateModified"]) == article.updated_at
    assert data["image"] == ["http://testserver/media/news/renditions/handshake-960.webp"]
    assert data["mainEntityOfPage"]["@id"] == "http://testserver/ko/news/sisterhood/"


def test_it_escapes_markup_in_titles_everywhere_in_the_head(client):
    payload = '</script><script>alert("x")</script><!-- & "quoted"'
    article = ArticleFactory(title_en=payload, summary_en=payload)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert html.count("</script>") == html.count("<script")
    data = json_ld(html)
    assert data["headline"] == payload
    assert data["description"] == payload


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED]
)
def test_it_answers_404_for_an_article_that_is_not_published(client, status):
    article = ArticleFactory(status=status)
    assert client.get(f"/en/news/{article.slug}/").status_code == 404


def test_it_answers_404_for_an_unknown_slug(client):
    assert client.get("/en/news/no-such-article/").status_code == 404


# ---- Staff preview


@pytest.fixture
def staff(django_user_model):
    """An editor: staff who may view articles."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


def test_it_shows_staff_a_draft_with_a_preview_banner_and_noindex(client, staff):
    article = with_hero(ArticleFactory(status=Article.Status.DRAFT, publish_at=None))
    client.force_login(staff)
    r = client.get(f"/en/news/preview/{article.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="alert alert-warning preview-banner"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert r["X-Robots-Tag"] == "noindex"
    assert "Not scheduled" in html
    # The canonical link names the public address the article will have.
    assert f'<link rel="canonical" href="http://testserver/en/news/{article.slug}/">' in html


def test_it_previews_with_the_public_template_and_context(client, staff):
    article = with_hero(bilingual_article())
    public = client.get(f"/zh-hans/news/{article.slug}/")
    client.force_login(staff)
    preview = client.get(f"/zh-hans/news/preview/{article.pk}/")
    assert [t.name for t in preview.templates][0] == "news/article_detail.html"
    assert [t.name for t in public.templates][0] == "news/article_detail.html"
    for key in ("text", "content_lang", "is_fallback", "available_languages", "canonical_url"):
        assert preview.context[key] == public.context[key], key
    assert preview.context["preview"] is True
    assert "noindex" not in public.content.decode()


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED]
)
def test_it_previews_every_status_for_staff(client, staff, status):
    article = ArticleFactory(status=status)
    client.force_login(staff)
    assert client.get(f"/en/news/preview/{article.pk}/").status_code == 200


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    r = client.get(f"/en/news/preview/{article.pk}/")
    assert r.status_code == 302
    assert r["Location"].startswith("/admin/login/")


def test_it_does_not_tell_anonymous_visitors_whether_an_article_exists(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    existing = client.get(f"/en/news/preview/{article.pk}/")
    missing = client.get(f"/en/news/preview/{article.pk + 1000}/")
    assert existing.status_code == missing.status_code == 302


def test_it_refuses_the_preview_to_a_signed_in_user_who_is_not_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(f"/en/news/preview/{article.pk}/").status_code == 302


def test_it_shows_the_preview_only_to_staff_who_may_view_articles(django_user_model):
    scheduled = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    records_officer = staff_client(django_user_model, "records_officer")
    editor = staff_client(django_user_model, "editor")
    for article in (scheduled, draft):
        url = f"/en/news/preview/{article.pk}/"
        refused = records_officer.get(url)
        assert refused.status_code == 403
        assert article.title_en not in refused.content.decode()
        assert editor.get(url).status_code == 200
    # Whether an article exists is not told either.
    assert records_officer.get("/en/news/preview/999999/").status_code == 403


def test_it_answers_404_to_staff_for_a_missing_article(client, staff):
    client.force_login(staff)
    assert client.get("/en/news/preview/999999/").status_code == 404
