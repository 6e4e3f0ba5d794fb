import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_it_reads_the_jiangsu_timeline_in_korean(demo, live_server, page):
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="한국어").first.click()
    page.wait_for_url(re.compile(r"/ko/$"))
    assert page.locator("html").get_attribute("lang") == "ko"

    page.get_by_role("link", name="장쑤성", exact=True).first.click()
    page.wait_for_url(re.compile(r"/ko/partnerships/jiangsu/$"))
    timeline = page.locator("#timeline")
    timeline.wait_for()
    assert "2024" in timeline.inner_text()
    assert "2011" in timeline.inner_text()
