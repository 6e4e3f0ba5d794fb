"""Agreements signed within a partnership."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import QuickDisplay
from core.indexes import OrderIndex, YearsFromIndexQuerySet
from core.partial_dates import PartialDate, normalize

from .dates import precision_field
from .partnerships import Level, Partnership
from .regions import CooperationField


class AgreementQuerySet(YearsFromIndexQuerySet):
    def in_force(self):
        return self.filter(status=Agreement.Status.IN_FORCE)

    def for_list(self):
        return self.select_related(
            "partnership__home_region", "partnership__partner_region"
        ).prefetch_related("fields")


class Agreement(QuickDisplay, models.Model):
    class Kind(models.TextChoices):
        LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
        MOU = "mou", _("memorandum of understanding")
        COOPERATION = "cooperation", _("cooperation agreement")
        EXPANDED_COOPERATION = "expanded_cooperation", _("expanded cooperation agreement")
        FRIENDSHIP = "friendship", _("friendship agreement")
        SISTERHOOD = "sisterhood", _("sisterhood agreement")
        RENEWAL = "renewal", _("renewal")
        JOINT_DECLARATION = "joint_declaration", _("joint declaration")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")
        SUPERSEDED = "superseded", _("superseded")

    # The level each kind of agreement raises its partnership to; any other kind, cooperation.
    LEVELS = {Kind.SISTERHOOD: Level.SISTERHOOD, Kind.FRIENDSHIP: Level.FRIENDSHIP}

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="agreements",
        db_index=False,  # relations_agreement_filters, below, begins with it
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    key_commitments = models.TextField(
        _("key commitments"), blank=True, help_text=_("One commitment per line.")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = precision_field(_("precision of the signing date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_FORCE
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    council_approved_on = models.DateField(
        _("approved by the provincial council on"), null=True, blank=True
    )
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("cooperation fields"),
        blank=True,
        related_name="agreements",
    )
    document = models.FileField(
        _("signed document (PDF)"),
        upload_to="agreements/",
        blank=True,
        # Parsed as a PDF by the admin forms (core.uploads), like the emblem.
        validators=[FileExtensionValidator(["pdf"])],
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown to the public.")
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = (F("signed_on").desc(nulls_last=True), "-pk")
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(valid_until__gte=F("signed_on")),
                name="relations_agreement_valid_after_signing",
                violation_error_message=_("“Valid until” cannot be before the signing date."),
            ),
        ]
        indexes = [
            # The order of the agreement list, the admin's list and the export (Meta.ordering):
            # a page at any depth reads its rows' keys from the index, not a sort of every
            # row. Its other columns are those the list filters by (years are signed_on):
            # counting and paging any mix of filters reads this narrow index, never the wide
            # rows (core.pagination.DeepPaginator).
            OrderIndex(
                F("signed_on").desc(nulls_last=True),
                F("id").desc(),
                "kind",
                "status",
                "partnership",
                name="relations_agreement_newest",
            ),
            # A partnership's agreements with the columns the list filters them by: those of
            # the partnerships a filter picks (country, level, partner) are counted and paged
            # from this index, with the other filters, where the foreign key's own index
            # fetched every row of those partnerships (8,900 for every filter at once). It
            # takes the place of that index, which the import would otherwise write too.
            models.Index(
                fields=["partnership", "kind", "status", "signed_on", "id"],
                name="relations_agreement_filters",
            ),
        ]
        # A trigram index on the searched text, PostgreSQL only: migration 0003 and
        # relations.filters.AGREEMENT_TEXT.

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.signed_on = normalize(self.signed_on, self.signed_on_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("relations:agreement_detail", kwargs={"pk": self.pk})

    @property
    def signed(self):
        return PartialDate.of(self, "signed_on")

    @property
    def sets_level(self):
        """Return the partnership level this kind of agreement sets."""
        return self.LEVELS.get(self.kind, Level.COOPERATION)

    @classmethod
    def counts_for_level(cls):
        """Return a Q of the agreements that still count towards their partnership's level."""
        return ~Q(status=cls.Status.TERMINATED)

    @classmethod
    def level_rank(cls):
        """Return sets_level's rank as an expression, for the database to take the highest."""
        ranks = [When(kind=kind, then=Value(level.rank)) for kind, level in cls.LEVELS.items()]
        return Case(*ranks, default=Value(Level.COOPERATION.rank))
