"""People, the side they stand for, and the part they took in agreements."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.parts import Part

from .agreements import Agreement


class Side(models.TextChoices):
    HOME = "home", _("home side")
    PARTNER = "partner", _("partner side")
    THIRD_PARTY = "third_party", _("third party")


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ("name",)
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


class Participation(Part):
    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory")
        WITNESS = "witness", _("witness")
        ATTENDEE = "attendee", _("attendee")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    title = models.CharField(
        _("title at the time"),
        max_length=300,
        blank=True,
        help_text=_("For example “Governor of Gyeonggi Province”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("agreement", "order", "pk")
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person", "role"],
                name="relations_participation_unique_role",
                violation_error_message=_("This person already has this role in the agreement."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"
