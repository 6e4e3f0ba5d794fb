"""Create the staff roles' groups (backoffice.roles); backoffice.signals keeps them in step later.

A database made before the back office was an app of its own ran this as portal 0001_roles.
Running it again there changes nothing: it gets or creates each group and sets the permissions.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from backoffice.roles import roles_sync


def create_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are otherwise created only after all migrations ran (post_migrate).
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    roles_sync(apps=apps, using=using, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_article_publish_permission"),
        ("relations", "0001_initial"),
    ]

    operations = [
        # Going back leaves the groups alone: nobody loses a role by a rollback.
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
