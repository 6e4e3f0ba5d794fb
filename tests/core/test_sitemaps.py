import pytest

from core.sitemaps import ItemsInLanguages, ItemsInTheirLanguages

LANGUAGES = ["en", "ko", "zh-hans"]


def pairs(items, languages=LANGUAGES):
    return [(item, code) for item in items for code in languages]


@pytest.mark.parametrize("start,stop", [(0, 4), (2, 7), (3, 6), (5, None), (0, 0), (8, 30)])
def test_it_slices_the_pairs_as_a_list_of_them_would(start, stop):
    items = ItemsInLanguages(["a", "b", "c"], LANGUAGES)
    assert items[start:stop] == pairs("abc")[start:stop]
    assert len(items) == items.count() == 9


def test_it_lists_each_item_in_its_own_languages_and_slices_by_item():
    languages = {"a": ["en"], "b": ["ko", "zh-hans"], "c": []}
    items = ItemsInTheirLanguages(["a", "b", "c"], languages.get)
    assert items[0:2] == [("a", "en"), ("b", "ko"), ("b", "zh-hans")]
    with pytest.raises(TypeError):
        items[0]
