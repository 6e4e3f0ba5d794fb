"""The language fallback (core.i18n): one rule, in Python and in SQL."""

import itertools

import pytest
from django.utils import translation

from core.i18n import (
    LANGUAGE_CODES,
    available_languages,
    contains_in_any_language,
    fallback_order,
    fallback_sql,
    missing_in,
    text_in,
    translated,
    translated_text,
)
from relations.models import Region
from tests.factories import RegionFactory


def test_it_lists_the_languages_of_the_settings_in_their_order(settings):
    assert LANGUAGE_CODES == [code for code, _name in settings.LANGUAGES]
    assert LANGUAGE_CODES[0] == "en"


def test_it_tries_the_visitors_language_first_then_the_others_in_order():
    assert fallback_order("zh-hans") == ["zh-hans", "en", "ko"]
    with translation.override("ko"):
        assert fallback_order() == ["ko", "en", "zh-hans"]


def test_it_shows_a_field_in_the_visitors_language_when_it_has_text():
    region = Region(name_en="Jiangsu", name_ko="장쑤성")
    shown = translated(region, "name", "ko")
    assert (shown.text, shown.lang, shown.is_fallback) == ("장쑤성", "ko", False)
    assert shown.lang_attribute == ""


def test_it_falls_back_to_the_first_language_that_has_text_and_says_so():
    region = Region(name_en="", name_ko="장쑤성", name_zh_hans="")
    shown = translated(region, "name", "zh-hans")
    assert (shown.text, shown.lang, shown.is_fallback) == ("장쑤성", "ko", True)
    assert shown.lang_attribute == ' lang="ko"'


def test_it_shows_nothing_and_no_fallback_for_a_field_empty_in_every_language():
    shown = translated(Region(name_en=""), "description", "ko")
    assert (shown.text, shown.lang, shown.is_fallback) == ("", "ko", False)


def test_it_reads_one_language_without_a_fallback():
    region = Region(name_en="Jiangsu", name_ko=None)
    assert text_in(region, "name", "en") == "Jiangsu"
    assert text_in(region, "name", "ko") == ""
    assert available_languages(region, "name") == ["en"]


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans", None])
def test_it_applies_the_same_fallback_to_texts_by_their_names(language):
    texts = [None, "", "Jiangsu", "장쑤성"]
    for en, ko, zh in itertools.product(texts, repeat=3):
        region = Region(name_en=en, name_ko=ko, name_zh_hans=zh)
        with translation.override("ko"):
            expected = translated(region, "name", language).text
            assert translated_text(region.__dict__, "name", language) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_the_database_applies_the_same_fallback_as_python(language):
    RegionFactory(name_en="Jiangsu", name_ko="장쑤성", name_zh_hans="江苏")
    RegionFactory(name_en="Liaoning", name_ko="", name_zh_hans="辽宁")
    RegionFactory(name_en="Shandong", name_ko=None, name_zh_hans=None)
    regions = Region.objects.order_by("pk")
    in_sql = list(regions.values_list(fallback_sql("name", language), flat=True))
    assert in_sql == [translated(region, "name", language).text for region in regions]


@pytest.mark.django_db
def test_it_finds_records_missing_a_language_whether_empty_or_null():
    empty = RegionFactory(name_ko="")
    null = RegionFactory(name_ko=None)
    RegionFactory(name_ko="장쑤성")
    assert set(Region.objects.filter(missing_in("name", "ko"))) == {empty, null}


@pytest.mark.django_db
def test_it_finds_text_in_any_language_of_any_field():
    by_name = RegionFactory(name_zh_hans="江苏省")
    by_description = RegionFactory(description_ko="장쑤성의 성도는 난징")
    RegionFactory(name_en="Liaoning")
    found = Region.objects.filter(contains_in_any_language(("name", "description"), "江苏"))
    assert list(found) == [by_name]
    found = Region.objects.filter(contains_in_any_language(("name", "description"), "난징"))
    assert list(found) == [by_description]
