"""The base of every content model's admin."""

from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from .conflicts import EditConflictMixin
from .deletion import DeletionProtectionMixin
from .history import HistoryAdmin


class ContentAdmin(
    EditConflictMixin, DeletionProtectionMixin, HistoryAdmin, TabbedDjangoJqueryTranslationAdmin
):
    """Translation tabs, edit-conflict protection, deletion refusals and revision history."""
