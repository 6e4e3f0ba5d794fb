import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.partial_dates import PartialDate, Precision

JUNE_19 = datetime.date(2024, 6, 19)


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en", Precision.YEAR, "2024"),
        ("en", Precision.MONTH, "June 2024"),
        ("en", Precision.DAY, "19 June 2024"),
        ("ko", Precision.MONTH, "2024년 6월"),
        ("ko", Precision.DAY, "2024년 6월 19일"),
        ("zh-hans", Precision.MONTH, "2024年6月"),
        ("zh-hans", Precision.DAY, "2024年6月19日"),
    ],
)
def test_it_prints_a_date_at_its_precision_in_each_language(language, precision, expected):
    with translation.override(language):
        assert str(PartialDate(JUNE_19, precision)) == expected


def test_it_prints_a_year_only_date_as_the_year():
    assert str(PartialDate(datetime.date(2011, 1, 1), Precision.YEAR)) == "2011"


def test_it_says_date_not_recorded_for_no_date():
    assert str(PartialDate(None)) == "date not recorded"


def test_it_renders_a_model_field_through_the_template_filter():
    class Signed:
        signed_on = JUNE_19
        signed_on_precision = Precision.DAY

    template = Template('{% load portal %}{{ obj|partial_date:"signed_on" }}')
    with translation.override("ko"):
        assert template.render(Context({"obj": Signed()})) == "2024년 6월 19일"


def test_it_sorts_unknown_dates_last():
    dates = [PartialDate(None), PartialDate(JUNE_19), PartialDate(datetime.date(2011, 1, 1))]
    ordered = sorted(dates, key=PartialDate.sort_key)
    assert [d.year for d in ordered] == [2011, 2024, None]
