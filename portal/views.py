from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.links import absolute_url
from news.models import Article
from relations.models import Agreement, Partnership, Region

from . import search as site_search
from .sitemaps import SITEMAPS

LATEST_AGREEMENTS = 5
LATEST_ARTICLES = 5
# The home page sums the partnerships up and shows the newest few: never all of them.
NEWEST_PARTNERSHIPS = 8


@require_safe
def home(request):
    home_region = Region.objects.home().first()
    # By the home region's id, not a join on is_home: PostgreSQL then knows that the filter
    # keeps nearly every partnership, and reads the newest from their index.
    partnerships = Partnership.objects.filter(home_region=home_region)
    latest_agreements = Agreement.objects.select_related("partnership__partner_region")
    context = {
        "home_region": home_region,
        "latest_articles": Article.objects.public()[:LATEST_ARTICLES],
        "partnerships": partnerships.with_regions().newest()[:NEWEST_PARTNERSHIPS],
        "figures": partnerships.figures(),
        "latest_agreements": latest_agreements[:LATEST_AGREEMENTS],
    }
    return render(request, "portal/home.html", context)


@never_cache
@require_safe
def healthz(request):
    """Answer 200 when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request):
    """Send browsers that ask /favicon.ico (the admin's pages name no icon) to the emblem."""
    return HttpResponseRedirect(static("img/emblem.svg"))


@x_robots_tag
@require_safe
def sitemap_index(request):
    """List every page of every section of the sitemap, with DJANGO_PUBLIC_URL when set."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        path = reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        url = absolute_url(request, path)
        entries.append(SitemapIndexItem(url))
        pages = range(2, sitemap_class().paginator.num_pages + 1)
        entries += [SitemapIndexItem(f"{url}?p={page}") for page in pages]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
def search(request):
    """Search public news, partnerships, regions and agreements in every language."""
    context = {"query": request.GET.get("q", ""), "error": None, "results": None}
    try:
        query = site_search.normalize_query(context["query"])
    except site_search.QueryError as error:
        context["error"] = str(error)
        context["query"] = context["query"].replace("\x00", "")[: site_search.MAX_QUERY_LENGTH]
    else:
        context["query"] = query
        if query:
            context["results"] = site_search.search(query=query, language=get_language())
    return render(request, "portal/search.html", context)


# The error page carries its own styles, so that nothing it needs can fail again; it shows no
# user input, so allowing its inline <style> opens nothing.
server_error = csp_update({"style-src": UNSAFE_INLINE})(defaults.server_error)
