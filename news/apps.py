import reversion
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from .timeline import register

        register()
        # Its links to partnerships, regions and fields are part of its own data: no follows.
        reversion.register(self.get_model("Article"))
