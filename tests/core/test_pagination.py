import pytest
from django.http import Http404

from core.pagination import page_or_404


def test_it_returns_the_page_asked_for(rf):
    page = page_or_404(rf.get("/", {"page": "2"}), list(range(25)), 10)
    assert list(page.object_list) == list(range(10, 20))


def test_it_returns_the_first_page_without_a_page_number(rf):
    assert page_or_404(rf.get("/"), list(range(5)), 10).number == 1


@pytest.mark.parametrize("number", ["4", "0", "-1", "two", "1e3"])
def test_it_answers_a_page_that_does_not_exist_with_a_404(rf, number):
    with pytest.raises(Http404):
        page_or_404(rf.get("/", {"page": number}), list(range(25)), 10)
