"""The office's staff roles: one group per role, named by the role's code, and its permissions.

Defined here once. The migration backoffice 0001_roles creates the groups, and every `migrate`
puts them back in step with this module (backoffice.signals): a permission added here is
granted, one removed here is taken away, and one given to a role's group by hand is taken away
again. A person may hold several roles; their permissions add up. An administrator gives staff
these roles and nothing else: only a superuser makes or changes a group, or gives a person a
permission directly (backoffice.admin).
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from news.publishing import PUBLISH_PERMISSION

ACTIONS = ("add", "change", "delete", "view")


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    description: str
    permissions: tuple[str, ...]


def _model_permissions(app_label, *model_names, actions=ACTIONS):
    return tuple(f"{app_label}.{action}_{name}" for name in model_names for action in actions)


EDITOR_PERMISSIONS = (
    *_model_permissions("news", "article", actions=("add", "change", "view")),
    # The article form links an article to these through autocompletes, which need view.
    *_model_permissions(
        "relations", "partnership", "region", "cooperationfield", actions=("view",)
    ),
)

ROLES = (
    Role(
        "editor",
        _("Editor"),
        _("Writes and edits news drafts and submits them for review."),
        EDITOR_PERMISSIONS,
    ),
    Role(
        "publisher",
        _("Publisher"),
        _("Everything an editor does; also publishes, schedules, unpublishes and archives."),
        (*EDITOR_PERMISSIONS, PUBLISH_PERMISSION, "news.delete_article"),
    ),
    Role(
        "records_officer",
        _("Records officer"),
        _("Edits regions, partnerships, agreements, people, working groups and exchanges."),
        _model_permissions(
            "relations",
            "region",
            "partnership",
            "agreement",
            "participation",
            "person",
            "workinggroup",
            "workinggroupmember",
            "meeting",
            "exchange",
            "cooperationfield",
        ),
    ),
    Role(
        "administrator",
        _("Administrator"),
        _("Manages staff accounts and their roles."),
        (
            *_model_permissions("auth", "user"),
            # Only a superuser (or the sync below) changes what a role holds: see backoffice.admin.
            *_model_permissions("auth", "group", actions=("view",)),
            # Deleting a django-axes access attempt lifts that login lockout before it expires.
            *_model_permissions("axes", "accessattempt", actions=("view", "delete")),
        ),
    ),
)
ROLES_BY_CODE = {role.code: role for role in ROLES}


def roles_sync(*, apps=global_apps, using=DEFAULT_DB_ALIAS, strict=True):
    """Create each role's group and give it exactly the role's permissions.

    `strict` refuses a permission that does not exist; the migration is not strict, since it
    runs before later migrations add the models that later versions of this module name.
    """
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role.code)
        group.permissions.set(_permissions(role, apps=apps, using=using, strict=strict))


def _permissions(role, *, apps, using, strict):
    Permission = apps.get_model("auth", "Permission")
    wanted = Q()
    for name in role.permissions:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = list(
        Permission.objects.using(using)
        .filter(wanted)
        .values_list("pk", "content_type__app_label", "codename")
    )
    missing = set(role.permissions) - {f"{app}.{codename}" for _pk, app, codename in found}
    if strict and missing:
        raise ImproperlyConfigured(
            f"The role {role.code!r} names permissions that do not exist: "
            + ", ".join(sorted(missing))
        )
    return [pk for pk, _app, _codename in found]
