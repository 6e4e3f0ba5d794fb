"""Widgets written out by Python where Django's templates cost more than the rest of a page.

Django renders a select through a template per option, and each option's attributes through
another: a filter form's few selects took a third of a list page's time at national scale
(bench/pages.py). QuickSelect writes the markup of Django's own select.html.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attributes(attrs):
    """Return the attributes as django/forms/widgets/attrs.html writes them."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def _option(option):
    return format_html(
        '\n  <option value="{}"{}>{}</option>',
        option["value"],
        _attributes(option["attrs"]),
        option["label"],
    )


class QuickSelect(forms.Select):
    """A select written as Django's select.html writes it, without its templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts += [_option(option) for option in options]
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))
