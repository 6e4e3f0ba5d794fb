"""Change lists of tables with a national registry's rows: never a full count, indexed search."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

from .paginator import EstimatedCountPaginator


def search_terms(search_term):
    """Split the admin's search box as Django does: words, or "quoted phrases"."""
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            yield bit


class LargeListMixin:
    """An admin whose change list does not count the whole table on each view.

    With `search_condition` (a function of one search term returning a Q), each term of the
    search must match it, instead of Django's OR of icontains over `search_fields`: a
    condition an index can answer (core.trigram). `search_fields` still shows the box.
    """

    paginator = EstimatedCountPaginator
    # Spares the second count, of the whole table, next to a filtered list's count.
    show_full_result_count = False
    # Rendering a row costs more than reading it: half of Django's 100 keeps a page quick.
    list_per_page = 50
    search_condition = None

    def action_checkbox(self, obj):
        """Return a row's selection checkbox, as Django's widget renders it, but written here:
        the widget's template, rendered for each row of a page, costs more than the row."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_search_results(self, request, queryset, search_term):
        if self.search_condition is None:
            return super().get_search_results(request, queryset, search_term)
        for term in search_terms(search_term):
            queryset = queryset.filter(self.search_condition(term))
        return queryset, False
