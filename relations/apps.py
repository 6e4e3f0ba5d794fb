import reversion
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Partnership registry")

    # The models whose history django-reversion keeps, each with the reverse relations its
    # versions carry along: reverting or recovering an agreement brings its participations
    # back, a working group its members and meetings. Registered here, not by the admin, so
    # that the admin, seed_demo and the import record the same.
    versioned = {
        "CooperationField": (),
        "Region": (),
        "Partnership": (),
        "Agreement": ("participations",),
        "Participation": (),
        "Person": (),
        "WorkingGroup": ("members", "meetings"),
        "WorkingGroupMember": (),
        "Meeting": (),
        "Exchange": (),
    }

    def ready(self):
        from . import signals  # noqa: F401

        for name, follow in self.versioned.items():
            reversion.register(self.get_model(name), follow=follow)
