"""Site-wide pieces of the back office."""

from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from .admin_conflicts import EditConflictMixin
from .admin_deletion import DeletionProtectionMixin
from .history import HistoryAdmin


class ContentAdmin(
    EditConflictMixin, DeletionProtectionMixin, HistoryAdmin, TabbedDjangoJqueryTranslationAdmin
):
    """The base of every content model's admin: translation tabs and the office's rules."""
