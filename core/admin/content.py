"""The base of every content model's admin."""

from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from .conflicts import EditConflictMixin
from .deletion import DeletionProtectionMixin
from .history import HistoryAdmin


class ContentAdmin(
    EditConflictMixin, DeletionProtectionMixin, HistoryAdmin, TabbedDjangoJqueryTranslationAdmin
):
    """Translation tabs, edit-conflict protection, deletion refusals and revision history."""

    class Media:
        # Named with what it builds on, so that the merged media keep it after them.
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "js/admin/language_tabs.js",
        )
