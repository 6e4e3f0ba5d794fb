"""The portal's models: the site search's text tables, which live with the search, and the
demo records that seed_demo remembers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .search.models import (  # noqa: F401
    AgreementSearchText,
    ArticleSearchText,
    PartnershipSearchText,
    RegionSearchText,
)


class DemoRecord(models.Model):
    """The record that stands for one fact of the demo data, as seed_demo created or found it.

    A rerun finds the record by its id however staff have edited it since (a corrected date, a
    renamed person), and so creates only what is missing: never a second copy of an edited one.
    """

    # The model and the fact's natural key in the demo data: "relations.person:kim".
    key = models.CharField(_("demo fact"), max_length=300, unique=True)
    object_id = models.BigIntegerField(_("record id"))

    class Meta:
        ordering = ("key",)
        verbose_name = _("demo record")
        verbose_name_plural = _("demo records")

    def __str__(self):
        return self.key
