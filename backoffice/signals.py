"""Keep the staff roles' groups in step with backoffice.roles after every migrate."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from .roles import roles_sync


def roles_sync_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    # Django creates each app's permissions in that app's own post_migrate, and the apps after
    # auth in INSTALLED_APPS have not had theirs yet: create any missing ones first.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    roles_sync(apps=apps, using=using)
