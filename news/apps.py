import reversion
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from .timeline import register

        register()
        # Its links to partnerships, regions and fields are part of its own data; its change
        # notes are rows of their own, which its versions carry along.
        reversion.register(self.get_model("Article"), follow=("change_notes",))
        reversion.register(self.get_model("ChangeNote"))
