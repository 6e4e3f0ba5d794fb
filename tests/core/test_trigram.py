"""Substring search over many columns as one indexed expression (core.trigram)."""

from functools import reduce
from operator import or_

import pytest
from django.db.models import Q

from core.trigram import SEPARATOR, contains
from relations.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

FIELDS = ("title_en", "title_ko", "venue_en", "summary_zh_hans")
TEXTS = [
    "Dodamso",
    "dodamso",
    "자매",
    "江苏",
    "a",
    "so\x1fSe",
    "%",
    "_",
    "100%",
    "Suwon Seoul",
    "",
]


@pytest.fixture
def agreements():
    AgreementFactory(title_en="Sisterhood Agreement", venue_en="Dodamso, Suwon")
    AgreementFactory(title_en="Plain", title_ko="자매결연 협정", summary_zh_hans="江苏省")
    AgreementFactory(title_en="A 100% agreement", venue_en="Seoul")
    AgreementFactory(title_en="snake_case", title_ko=None, venue_en="")


@pytest.mark.parametrize("text", TEXTS)
def test_it_matches_what_an_or_of_icontains_over_the_fields_matches(agreements, text):
    oracle = reduce(or_, (Q(**{f"{field}__icontains": text}) for field in FIELDS))
    expected = set(Agreement.objects.filter(oracle).values_list("pk", flat=True))
    found = set(Agreement.objects.filter(contains(FIELDS, text)).values_list("pk", flat=True))
    assert found == expected


def test_it_never_matches_across_two_fields(agreements):
    # The title "Plain" is followed by the Korean title "자매결연 협정" in the joined text.
    assert not Agreement.objects.filter(contains(FIELDS, "plain자매")).exists()
    assert not Agreement.objects.filter(contains(FIELDS, f"plain{SEPARATOR}자매")).exists()
