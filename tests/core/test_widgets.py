"""QuickSelect writes the select Django's own templates write."""

import re

import pytest
from django import forms

from core.widgets import QuickSelect

CHOICES = [
    ("", "All"),
    ("a&b", 'A <b>"'),
    (3, "Three"),
    ("Group", [("g1", "G one"), ("g2", "G two")]),
]
ATTRS = {"class": "form-select", "aria-invalid": "true", "disabled": False, "data-x": 'a"b'}


@pytest.mark.parametrize("value", ["a&b", "", 3, "g2", None, ["g1", "nothing"]])
def test_it_writes_what_djangos_select_template_writes(value):
    django_select = forms.Select(choices=CHOICES, attrs=ATTRS).render("kind", value, {"id": "k"})
    quick = QuickSelect(choices=CHOICES, attrs=ATTRS).render("kind", value, {"id": "k"})

    # Django's template leaves a blank line after each option; nothing else differs.
    assert quick == re.sub(r"\n\n+", "\n", django_select)


def test_it_escapes_labels_values_and_attributes():
    html = QuickSelect(choices=CHOICES, attrs=ATTRS).render("kind", "a&b")

    assert '<option value="a&amp;b" selected>A &lt;b&gt;&quot;</option>' in html
    assert 'data-x="a&quot;b"' in html
    assert "disabled" not in html
