"""The header as a visitor sees it: one row on a desk, the menu button beside the name on a phone,
a Search button that can be read."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG 2 contrast of an element's text with what is behind it, from the computed styles: the
# first ancestor (or the element) with an opaque background is what shows through.
CONTRAST = """
(element) => {
  const rgb = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = rgb(colour).slice(0, 3).map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let behind = element;
  while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] ?? 1) < 1) {
    behind = behind.parentElement;
  }
  const text = luminance(getComputedStyle(element).color);
  const back = luminance(getComputedStyle(behind).backgroundColor);
  return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
}
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def box(locator):
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def middle(locator):
    found = box(locator)
    return found["y"] + found["height"] / 2


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_it_keeps_the_header_on_one_row_at_1280_pixels(demo, live_server, page, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/{language}/")

    assert not page.locator(".navbar-toggler").is_visible()
    languages = page.locator(".language-switcher .nav-link")
    assert languages.count() == 3
    tops = {round(box(languages.nth(index))["y"]) for index in range(3)}
    assert len(tops) == 1, tops
    # The menu, the search and the languages share one row: their middles are level.
    middles = [
        middle(page.locator(selector))
        for selector in (".site-header .navbar-nav.me-auto", ".site-search", ".language-switcher")
    ]
    assert max(middles) - min(middles) < 4, middles
    header = box(page.locator(".site-header .container"))
    last = box(languages.nth(2))
    assert last["x"] + last["width"] <= header["x"] + header["width"]


@pytest.mark.parametrize("width", [320, 375])
def test_it_puts_the_menu_button_beside_the_name_on_a_phone(demo, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(f"{live_server.url}/en/")

    brand = box(page.locator(".navbar-brand"))
    toggler = box(page.locator(".navbar-toggler"))
    assert toggler["y"] < brand["y"] + brand["height"]
    assert toggler["x"] >= brand["x"] + brand["width"]
    assert toggler["x"] + toggler["width"] <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_it_shows_the_search_button_in_readable_contrast(demo, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/en/")
    if width < 1200:
        page.locator(".navbar-toggler").click()
        page.locator("#site-nav.show").wait_for()

    button = page.locator(".site-search button")
    assert button.is_visible()
    assert button.evaluate(CONTRAST) >= 4.5
