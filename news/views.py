import datetime
import json
from dataclasses import dataclass

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.filters import LookupFilter
from core.i18n import Translated, translated
from core.links import absolute_url
from core.lookups import suggestions_response
from core.pagination import page_or_404
from relations.models import Partnership

from . import images, rendering
from .filters import ArticleFilter
from .models import Article, PendingChange
from .pending import article_apply_pending_change

ARTICLES_PER_PAGE = 10
# OpenGraph wants a locale with a territory: the one where each language is mostly read.
OG_LOCALES = {"en": "en_US", "ko": "ko_KR", "zh-hans": "zh_CN"}
# Inside <script>, these would let a title close the element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# The list's filters that take one record of thousands, by parameter name.
LOOKUPS = {
    name: field.lookup
    for name, field in ArticleFilter.base_filters.items()
    if isinstance(field, LookupFilter)
}


@dataclass(frozen=True)
class Hero:
    """An article's hero image, ready for an <img> with srcset."""

    src: str
    srcset: str
    alt: Translated


@dataclass(frozen=True)
class Listed:
    article: Article
    hero: Hero | None


@dataclass(frozen=True)
class Update:
    """One of an article's change notes, in the visitor's language or its fallback."""

    date: datetime.date
    text: Translated


def hero_of(article, language=None):
    """Return the article's hero image, or None when it has none."""
    if not article.hero_image:
        return None
    return Hero(
        src=images.hero_src(article),
        srcset=images.hero_srcset(article),
        alt=translated(article, "image_alt", language),
    )


def with_links(articles):
    """Prefetch the partnerships and regions an article page links to."""
    return articles.prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.with_regions()), "regions"
    )


@require_safe
def article_list(request):
    articles = Article.objects.listed().prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.with_regions())
    )
    filterset = ArticleFilter(request.GET, queryset=articles)
    page = page_or_404(request, filterset.qs, ARTICLES_PER_PAGE)
    ctx = {
        "filter": filterset,
        "page": page,
        "articles": [Listed(article, hero_of(article)) for article in page.object_list],
    }
    return render(request, "news/article_list.html", ctx)


@require_safe
def filter_suggestions(request, name):
    """Answer the records a filter's text may mean, as JSON, for the typeahead."""
    if name not in LOOKUPS:
        raise Http404("No such filter.")
    return suggestions_response(request, LOOKUPS[name])


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(with_links(Article.objects.public()), slug=slug)
    return render(request, "news/article_detail.html", _detail_context(request, article))


def may_preview(user):
    """Return True if the user may read articles that are not public."""
    return user.has_perm("news.view_article") or user.has_perm("news.change_article")


@never_cache
@staff_member_required
@require_safe
def article_preview(request, pk):
    """Show any article, whatever its status, exactly as its public page would.

    With ?pending=1, show the article with its pending change, as publishing it would make it.
    """
    if not may_preview(request.user):
        raise PermissionDenied
    article = get_object_or_404(with_links(Article.objects.all()), pk=pk)
    pending = links = None
    if request.GET.get("pending"):
        pending = PendingChange.objects.select_related("author").filter(article=article).first()
    if pending is not None:
        links = article_apply_pending_change(article=article, pending_change=pending)
        links["partnerships"] = links["partnerships"].with_regions()
    ctx = _detail_context(request, article, links=links)
    ctx.update(preview=True, pending_change=pending, removed_markup=removed_markup(article))
    response = render(request, "news/article_detail.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    return response


def removed_markup(article):
    """Return (language name, what the sanitizer removed) for each body that lost something."""
    return [
        (get_language_info(code)["name_translated"], ", ".join(removed))
        for code, removed in rendering.removed_markup(article)
    ]


def _detail_context(request, article, links=None):
    """Return the article page's context; `links` replaces the article's stored links.

    The article is shown in the language of its title (core.i18n.translated): the visitor's
    when it is written in it, else the first it is written in; each other field follows.
    """
    title = translated(article, "title")
    shown = title.lang
    canonical = absolute_url(request, article.get_absolute_url())
    hero = hero_of(article, shown)
    text = {
        field: translated(article, field, shown)
        for field in ("title", "summary", "body_html", "image_caption")
    }
    image = absolute_url(request, hero.src) if hero else ""
    links = links or {"partnerships": article.partnerships.all(), "regions": article.regions.all()}
    return {
        "article": article,
        "partnerships": links["partnerships"],
        "regions": links["regions"],
        "text": text,
        "hero": hero,
        "shown_title": title,
        "content_lang": shown,
        "is_fallback": title.is_fallback,
        "is_stale": not title.is_fallback and article.is_translation_stale(shown),
        "available_languages": article.available_languages(),
        "updates": [
            Update(note.date, translated(note, "text")) for note in article.change_notes.all()
        ],
        "canonical_url": canonical,
        "og_image": image,
        "og_locale": OG_LOCALES.get(shown, shown),
        "og_locale_alternates": [
            OG_LOCALES[code] for code in article.available_languages() if code != shown
        ],
        "json_ld": json_ld(article, text=text, language=shown, url=canonical, image=image),
    }


def json_ld(article, *, text, language, url, image):
    """Return schema.org NewsArticle JSON-LD, safe to place inside a <script> element."""
    office = {"@type": "Organization", "name": _("International Relations Office")}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text["title"].text,
        "description": text["summary"].text,
        "inLanguage": language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": office,
        "publisher": office,
    }
    if image:
        data["image"] = [image]
    encoded = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    # Safe: the JSON is escaped above so that no value can end the script element.
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')
