"""Every page works under its Content-Security-Policy: no violation reported, public or admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from news.models import Article
from relations.models import Agreement, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser test password"
# Runs before any page script, outside the page's policy, and records what the policy refused.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def watched_page(page):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_console = console
    return page


def violations(page):
    return page.evaluate("window.cspViolations") + page.csp_console


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return response


def test_it_serves_public_pages_without_a_violation(demo, live_server, watched_page):
    article = Article.objects.get()
    urls = [
        "/en/",
        "/ko/partnerships/",
        "/zh-hans/partnerships/jiangsu/",
        "/en/regions/liaoning/",
        "/en/agreements/?level=sisterhood",
        f"/ko/agreements/{Agreement.objects.first().pk}/",
        "/en/news/",
        f"/ko/news/{article.slug}/",
        "/zh-hans/search/?q=江苏",
    ]
    for url in urls:
        response = visit(watched_page, f"{live_server.url}{url}")
        policy = response.header_value("content-security-policy")
        assert "script-src 'self'" in policy, url

    # The menu on a phone: Bootstrap's collapse runs under the policy too.
    watched_page.set_viewport_size({"width": 390, "height": 800})
    watched_page.locator(".navbar-toggler").click()
    watched_page.locator("#site-nav.show").wait_for()

    assert violations(watched_page) == []


def test_it_serves_the_admin_without_a_violation(demo, live_server, watched_page):
    get_user_model().objects.create_superuser("csp", "csp@example.org", PASSWORD)
    page = watched_page
    visit(page, f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "csp")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")

    article = Article.objects.get()
    agreement = Agreement.objects.filter(participations__isnull=False).first()
    region = Region.objects.get(slug="jiangsu")
    for url in (
        reverse("admin:index"),
        reverse("admin:news_article_changelist"),
        reverse("admin:news_article_add"),
        reverse("admin:relations_agreement_changelist"),
        reverse("admin:relations_agreement_change", args=[agreement.pk]),
        reverse("admin:relations_region_change", args=[region.pk]),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:news_article_compare", args=[article.pk]),
        reverse("admin:relations_agreement_import"),
        reverse("admin:auth_user_changelist"),
    ):
        visit(page, f"{live_server.url}{url}")

    # The article form: language tabs, the calendar, an autocomplete.
    visit(page, f"{live_server.url}{reverse('admin:news_article_change', args=[article.pk])}")
    page.get_by_role("tab", name="ko").first.click()
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()
    page.locator(".select2-selection").first.click()
    page.locator(".select2-results__option").first.wait_for()

    found = violations(page)
    assert found == [], "\n".join(found)
