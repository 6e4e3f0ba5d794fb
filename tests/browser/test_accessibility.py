"""axe-core (tests/browser/axe, MPL-2.0) finds no accessibility violation on any public page, and
none of impact critical or serious that the portal's own templates and widgets cause in the admin.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from tests.pages import UNLISTED_PAGES, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "a long browser test password"
LANGUAGES = ("en", "ko", "zh-hans")

# Django's own admin markup, which the portal does not write: each entry names the rules and
# the places where a violation is Django's (or select2's, which Django's autocomplete uses).
# Anything else in the admin, the language tabs above all, is the portal's to fix.
DJANGO_ADMIN_MARKUP = [
    # Breadcrumbs, object tools and inline rows' "View on site" links are told apart from
    # the text around them by colour only.
    {"rules": ["link-in-text-block"], "within": ".breadcrumbs, .object-tools, .inline-related"},
    # Django's autocomplete fields are select2 widgets.
    {"rules": None, "within": ".select2-container"},
    # A split date and time has one label for two inputs.
    {"rules": ["label"], "within": ".datetime"},
    # A tabular inline names its inputs by the column headers, not by labels.
    {"rules": ["label", "label-title-only", "select-name"], "within": ".tabular td"},
    # filter_horizontal's search icons carry an aria-label on a plain span.
    {"rules": ["aria-prohibited-attr"], "within": ".selector"},
]

# Runs axe on the document; returns "rule (impact): elements" for each violation of the given
# impacts whose elements are not all in `skipped` places.
RUN_AXE = """
async ([impacts, skipped]) => {
  const result = await axe.run(document);
  const found = [];
  for (const violation of result.violations) {
    if (impacts && !impacts.includes(violation.impact)) continue;
    const nodes = violation.nodes.filter((node) => {
      const element = document.querySelector(node.target[0]);
      return !skipped.some(
        (place) =>
          (!place.rules || place.rules.includes(violation.id)) &&
          element && element.closest(place.within),
      );
    });
    if (nodes.length) {
      const elements = nodes.map((node) => node.html.slice(0, 200)).join(" | ");
      const where = location.pathname + location.search;
      found.push(`${where}: ${violation.id} (${violation.impact}): ${elements}`);
    }
  }
  return found;
}
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def violations(page, impacts=None, skipped=()):
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE, [impacts, list(skipped)])


def one_page_of_each_kind(paths):
    """Return one sitemap page per view, the languages taken in turn."""
    kinds = {}
    for path in paths:
        with translation.override(path.split("/")[1]):
            kinds.setdefault(resolve(path).view_name, []).append(path)
    chosen = []
    for number, same_kind in enumerate(kinds.values()):
        language = LANGUAGES[number % len(LANGUAGES)]
        chosen.append(next((p for p in same_kind if p.startswith(f"/{language}/")), same_kind[0]))
    return chosen


def test_public_pages_have_no_violation(demo, live_server, page):
    listed = [path for path in public_pages(Client()) if path not in UNLISTED_PAGES]
    paths = one_page_of_each_kind(listed) + list(UNLISTED_PAGES)
    assert len(paths) > len(UNLISTED_PAGES) + 5
    found = []
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)

    # The menu on a phone, open.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/ko/")
    page.locator(".navbar-toggler").click()
    page.locator("#site-nav.show").wait_for()
    found += violations(page)

    assert found == [], "\n".join(found)


def admin_pages():
    """Return the admin's home, and each registered model's list, add form and first record."""
    pages = [reverse("admin:index")]
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
    return pages


def test_admin_pages_have_no_serious_violation_of_the_portals_own(demo, live_server, page):
    get_user_model().objects.create_superuser("axe", "axe@example.org", PASSWORD)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "axe")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")

    found = []
    for path in admin_pages():
        response = page.goto(f"{live_server.url}{path}")
        if response.status == 403 and path.endswith("/add/"):
            continue  # a log that nobody adds to by hand (django-axes)
        assert response.status == 200, path
        found += violations(page, ["critical", "serious"], DJANGO_ADMIN_MARKUP)

    assert found == [], "\n".join(found)
