from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        # Imported once every app's models are loaded: the page cache watches them all.
        from . import page_cache

        page_cache.connect_signals()

        # The site search's triggers follow the models: set aside while migrations run.
        from django.db.models.signals import post_migrate, pre_migrate

        from .search.index import drop_before_migrate, sync_after_migrate

        pre_migrate.connect(drop_before_migrate, sender=self)
        post_migrate.connect(sync_after_migrate, sender=self)
