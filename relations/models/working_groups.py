"""Working groups of a partnership: their members and meetings."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import QuickDisplay
from core.partial_dates import PartialDate, Precision, normalize
from core.parts import Part

from .dates import precision_field
from .partnerships import Partnership
from .people import Person, Side
from .regions import CooperationField


class WorkingGroup(QuickDisplay, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        DISSOLVED = "dissolved", _("dissolved")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    name = models.CharField(_("name"), max_length=300)
    mandate = models.TextField(_("mandate"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_on_precision = precision_field(_("precision of the establishment date"))
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("cooperation fields"),
        blank=True,
        related_name="working_groups",
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.established_on = normalize(self.established_on, self.established_on_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("relations:working_group_detail", kwargs={"pk": self.pk})

    @property
    def established(self):
        return PartialDate.of(self, "established_on")


class WorkingGroupMember(Part):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        CO_CHAIR = "co_chair", _("co-chair")
        MEMBER = "member", _("member")
        SECRETARIAT = "secretariat", _("secretariat")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ("group", "role", "pk")
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                name="relations_workinggroupmember_unique_person",
                violation_error_message=_("This person is already a member of the group."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Meeting(Part):
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    minutes = models.FileField(
        _("minutes (PDF)"),
        upload_to="meetings/",
        blank=True,
        # Parsed as a PDF by the admin forms (core.uploads), like the emblem.
        validators=[FileExtensionValidator(["pdf"])],
    )

    class Meta:
        ordering = ("held_on", "pk")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.group} – {self.held_on:%Y-%m-%d}"

    @property
    def held(self):
        return PartialDate(self.held_on, Precision.DAY)
