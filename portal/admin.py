"""Site-wide pieces of the back office."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from .admin_conflicts import EditConflictMixin
from .admin_deletion import DeletionProtectionMixin
from .history import HistoryAdmin


class ContentAdmin(
    EditConflictMixin, DeletionProtectionMixin, HistoryAdmin, TabbedDjangoJqueryTranslationAdmin
):
    """The base of every content model's admin: translation tabs and the office's rules."""


class StaffUserAdmin(UserAdmin):
    """Administrators manage staff accounts, but only a superuser makes or changes superusers.

    Without this, the administrator role could raise itself to superuser, or take over a
    superuser's account by changing its password.
    """

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, "is_superuser", "user_permissions")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False)


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
