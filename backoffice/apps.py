from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class BackofficeConfig(AppConfig):
    name = "backoffice"

    def ready(self):
        from .signals import roles_sync_after_migrate

        # Django sends post_migrate only for apps with models, which backoffice has not;
        # auth's is always sent, whatever migrate was asked to do.
        post_migrate.connect(
            roles_sync_after_migrate,
            sender=apps.get_app_config("auth"),
            dispatch_uid="backoffice.roles_sync",
        )
