"""The base of every content model's admin."""

from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from .changes import TEXT_AREAS, StoredTextForm
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

    # A text area saved as it was shown is unchanged (core.admin.changes).
    formfield_overrides = TEXT_AREAS

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = type(self.form.__name__, (StoredTextForm, self.form), {})
