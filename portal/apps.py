from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from .history import register_content_models
        from .signals import roles_sync_after_migrate

        register_content_models()

        # Django sends post_migrate only for apps with models, which portal has not; auth's
        # is always sent, whatever migrate was asked to do.
        post_migrate.connect(
            roles_sync_after_migrate,
            sender=apps.get_app_config("auth"),
            dispatch_uid="portal.roles_sync",
        )
