"""The filter form shows the filters of the page's address, after Back and Forward too."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the times a document is shown: a page brought back from the back/forward cache is
# shown again without being loaded again.
COUNT_SHOWINGS = """
window.showings = 0;
window.addEventListener("pageshow", () => { window.showings += 1; });
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def cached_page(browser_with_back_forward_cache):
    context = browser_with_back_forward_cache.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def filter_by_kind_and_words(page, live_server):
    page.goto(f"{live_server.url}/en/agreements/")
    expect(page.locator(".result-count")).to_have_text("7 agreements")
    page.select_option("#id_kind", "sisterhood")
    page.fill("#id_q", "Jiangsu")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=sisterhood"))
    expect(page.locator(".result-count")).to_have_text("1 agreement")


def expect_the_unfiltered_list(page):
    expect(page).to_have_url(re.compile(r"/en/agreements/$"))
    expect(page.locator(".result-count")).to_have_text("7 agreements")
    expect(page.locator("#id_kind")).to_have_value("")
    expect(page.locator("#id_q")).to_have_value("")


def test_it_shows_the_filters_of_the_address_after_back_and_forward(demo, live_server, page):
    filter_by_kind_and_words(page, live_server)

    page.go_back()
    expect_the_unfiltered_list(page)

    page.select_option("#id_kind", "mou")
    page.go_forward()
    expect(page.locator("#id_kind")).to_have_value("sisterhood")
    expect(page.locator("#id_q")).to_have_value("Jiangsu")

    page.go_back()
    expect_the_unfiltered_list(page)


def test_it_shows_the_filters_of_the_address_on_a_page_kept_for_back(
    demo, live_server, cached_page
):
    page = cached_page
    page.add_init_script(COUNT_SHOWINGS)
    filter_by_kind_and_words(page, live_server)

    # The browser shows the list as it was left, with what was chosen before submitting.
    page.go_back(wait_until="commit")
    expect_the_unfiltered_list(page)
    assert page.evaluate("window.showings") == 2, "the page was loaded again, not kept"
