"""Regions (provinces, cities ...) and the topics of cooperation."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.choices import QuickDisplay
from core.i18n import LANGUAGE_CODES, fallback_sql


class CooperationField(models.Model):
    """A topic of cooperation: economy and trade, education, semiconductors ..."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("cooperation field")
        verbose_name_plural = _("cooperation fields")

    def __str__(self):
        return self.name


def _name_index(language):
    """An index of the regions by name as a visitor of the language reads them (fallback
    order): the search's first regions and partnerships, by name, of thousands that contain a
    common letter, are read from it instead of sorting them all."""
    suffix = language.replace("-", "_")
    return models.Index(fallback_sql("name", language), F("id"), name=f"relations_region_{suffix}")


class RegionQuerySet(models.QuerySet):
    def home(self):
        return self.filter(is_home=True)

    def partners(self):
        """Regions that are the partner side of at least one partnership."""
        # An EXISTS, not a join: a partner of several partnerships is still one row.
        partnership = self.model._meta.get_field("partnerships_as_partner").related_model
        return self.filter(Exists(partnership.objects.filter(partner_region=OuterRef("pk"))))


class Region(QuickDisplay, models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        METROPOLITAN_CITY = "metropolitan_city", _("metropolitan city")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        DISTRICT = "district", _("district")
        STATE = "state", _("state")
        PREFECTURE = "prefecture", _("prefecture")
        AUTONOMOUS_REGION = "autonomous_region", _("autonomous region")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    emblem = models.ImageField(
        _("emblem"),
        upload_to="regions/emblems/",
        blank=True,
        # The content is checked, and re-encoded, by the admin form (core.uploads): a
        # validator here would re-read the stored file on every save, and fail if it is gone.
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    is_home = models.BooleanField(
        _("home region"),
        default=False,
        help_text=_("The office's own region. At most one region can be the home region."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=Q(is_home=True),
                name="relations_region_single_home",
                violation_error_message=_("Another region is already the home region."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gte=0),
                name="relations_region_population_not_negative",
                violation_error_message=_("The population cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(area_km2__isnull=True) | Q(area_km2__gte=0),
                name="relations_region_area_not_negative",
                violation_error_message=_("The area cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="relations_region_latitude_in_range",
                violation_error_message=_("The latitude must lie between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="relations_region_longitude_in_range",
                violation_error_message=_("The longitude must lie between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="relations_region_not_own_parent",
                violation_error_message=_("A region cannot be its own parent."),
            ),
        ]
        indexes = [_name_index(language) for language in LANGUAGE_CODES]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("relations:region_detail", kwargs={"slug": self.slug})
