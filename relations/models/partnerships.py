"""Partnerships between the home region and a partner region, and their level."""

from django.db import models
from django.db.models import Count, F, OrderBy, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import QuickDisplay
from core.indexes import OrderIndex
from core.partial_dates import PartialDate, Precision

from .regions import Region


class Level(models.TextChoices):
    """How close a partnership is; the order of the members is the order of closeness."""

    COOPERATION = "cooperation", _("cooperation")
    FRIENDSHIP = "friendship", _("friendship")
    SISTERHOOD = "sisterhood", _("sisterhood")

    @property
    def rank(self):
        return list(Level).index(self) + 1


class PartnershipQuerySet(models.QuerySet):
    def with_regions(self):
        return self.select_related("home_region", "partner_region")

    def newest(self):
        """The most recently begun first; those with no recorded beginning last."""
        return self.order_by(F("began_on").desc(nulls_last=True), "pk")

    def agreements_total(self):
        """Return how many agreements these partnerships have, from their kept counts.

        Runs one query, over the partnerships: not a count of the agreements.
        """
        return self.order_by().aggregate(total=Sum("agreement_count", default=0))["total"]

    def figures(self):
        """Return how many partnerships there are, of each level, and in how many countries.

        Runs one query: {"total": …, "countries": …, "sisterhood": …, "friendship": …, …}.
        """
        by_level = {level.value: Count("pk", filter=Q(level=level)) for level in Level}
        return self.order_by().aggregate(
            total=Count("pk"),
            countries=Count("partner_region__country", distinct=True),
            **by_level,
        )


class Partnership(QuickDisplay, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        ENDED = "ended", _("ended")

    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        related_name="partnerships_as_home",
    )
    partner_region = models.ForeignKey(
        Region,
        verbose_name=_("partner region"),
        on_delete=models.PROTECT,
        related_name="partnerships_as_partner",
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Used in the address; by default the partner region's slug."),
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the status change"), blank=True)
    # Derived from the agreements by services.partnership_refresh(); never typed in.
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    began_on = models.DateField(_("began on"), null=True, blank=True, editable=False)
    began_on_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY, editable=False
    )
    # So that the agreement list counts a country's or a level's agreements from 3,000
    # partnerships rather than 100,000 agreements (relations.filters.counted_agreements).
    agreement_count = models.PositiveIntegerField(
        _("number of agreements"), default=0, editable=False
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ("partner_region__name",)
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["home_region", "partner_region"],
                name="relations_partnership_unique_pair",
                violation_error_message=_("These two regions already have a partnership."),
            ),
            models.CheckConstraint(
                condition=~Q(home_region=F("partner_region")),
                name="relations_partnership_partner_not_home",
                violation_error_message=_("A region cannot be its own partner."),
            ),
        ]
        indexes = [
            # The partnership list filters by level and status.
            models.Index(fields=["level", "status"], name="relations_partnership_level"),
            # newest(): the home page's newest few are read from it, not sorted from all.
            OrderIndex(
                OrderBy(F("began_on"), descending=True, nulls_last=True),
                F("id"),
                name="relations_partnership_newest",
            ),
        ]

    def __str__(self):
        return f"{self.home_region} – {self.partner_region}"

    def get_absolute_url(self):
        return reverse("relations:partnership_detail", kwargs={"slug": self.slug})

    @property
    def began(self):
        return PartialDate.of(self, "began_on")
