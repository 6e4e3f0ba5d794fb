"""Exchanges: the activities of a partnership (visits, training, events ...)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import QuickDisplay
from core.indexes import OrderIndex, YearsFromIndexQuerySet
from core.partial_dates import PartialDate, normalize

from .dates import precision_field
from .partnerships import Partnership
from .regions import CooperationField


class Exchange(QuickDisplay, models.Model):
    class Kind(models.TextChoices):
        DELEGATION_VISIT = "delegation_visit", _("delegation visit")
        TRAINING = "training", _("training programme")
        EXPERT_DISPATCH = "expert_dispatch", _("expert dispatch")
        BUSINESS = "business", _("business and investment")
        STUDENT_EXCHANGE = "student_exchange", _("student exchange")
        CULTURE_SPORTS = "culture_sports", _("cultural or sports event")
        OTHER = "other", _("other")

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("outbound")
        INBOUND = "inbound", _("inbound")
        MUTUAL = "mutual", _("mutual")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    starts_on_precision = precision_field(_("precision of the start date"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ends_on_precision = precision_field(_("precision of the end date"))
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("cooperation fields"),
        blank=True,
        related_name="exchanges",
    )

    # The admin's date hierarchy reads the years from the index below.
    objects = YearsFromIndexQuerySet.as_manager()

    class Meta:
        ordering = (F("starts_on").desc(nulls_last=True), "pk")
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="relations_exchange_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            # The admin's list of 50,000 exchanges in their order (Meta.ordering), at any page.
            OrderIndex(
                F("starts_on").desc(nulls_last=True), F("id"), name="relations_exchange_newest"
            ),
        ]
        # A trigram index on the titles for the admin's search, PostgreSQL only: migration
        # 0003 and relations.admin.ExchangeAdmin.

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.starts_on = normalize(self.starts_on, self.starts_on_precision)
        self.ends_on = normalize(self.ends_on, self.ends_on_precision)
        super().save(*args, **kwargs)

    @property
    def starts(self):
        return PartialDate.of(self, "starts_on")

    @property
    def ends(self):
        return PartialDate.of(self, "ends_on")
