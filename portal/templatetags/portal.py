from django import template
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from core.i18n import translated as translated_field
from core.partial_dates import PartialDate

register = template.Library()


@register.simple_tag
def translated(obj, field):
    """`{% translated obj "summary" as summary %}`: text, lang and is_fallback of a field."""
    return translated_field(obj, field)


@register.simple_tag
def tr(obj, field):
    """Render a translated field; a fallback is wrapped in a span carrying its `lang`."""
    return translated_field(obj, field).html


@register.filter
def partial_date(obj, field):
    """`{{ agreement|partial_date:"signed_on" }}`: the date at its precision, localized."""
    if isinstance(obj, PartialDate):
        return str(obj)
    return str(PartialDate.of(obj, field))


@register.simple_tag
def level_badge(partnership):
    """`{% level_badge partnership %}`: the partnership's level as a badge.

    A tag, not an included template: the lists show one on each of their fifty rows.
    """
    if not partnership.level:
        return format_html(
            '<span class="badge level-badge level-none">{}</span>', gettext("no agreement yet")
        )
    return format_html(
        '<span class="badge level-badge level-{}">{}</span>',
        partnership.level,
        capfirst(partnership.get_level_display()),
    )
