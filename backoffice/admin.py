"""Staff accounts and their roles in the admin: who may give whom which role."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import ROLES_BY_CODE


class RoleGroupAdmin(GroupAdmin):
    """Only a superuser makes, changes or deletes a group; others may see what each role holds.

    Otherwise the administrator role could make a group with every permission and join it.
    """

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class StaffUserAdmin(UserAdmin):
    """Administrators give staff accounts the defined roles; everything else is a superuser's.

    Without this, the administrator role could raise itself to superuser, take over a
    superuser's account by changing its password, or give itself any group or permission.
    """

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        readonly = (*readonly, "is_superuser", "user_permissions")
        if self._is_own_account(request, obj):
            return (*readonly, "groups")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser and self._is_own_account(request, obj):
            # Shown under the read-only groups (see get_readonly_fields).
            own_roles = _("You cannot change your own roles; another administrator can.")
            kwargs["help_texts"] = {"groups": own_roles}
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES_BY_CODE)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        if "groups" in form.cleaned_data and not request.user.is_superuser:
            # Groups outside the roles are not offered, so saving would silently drop them.
            kept = form.instance.groups.exclude(name__in=ROLES_BY_CODE)
            chosen = form.cleaned_data["groups"]
            form.cleaned_data["groups"] = Group.objects.filter(Q(pk__in=chosen) | Q(pk__in=kept))
        super().save_related(request, form, formsets, change)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False)

    def _is_own_account(self, request, obj):
        return obj is not None and obj.pk == request.user.pk


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
