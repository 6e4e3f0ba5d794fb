from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.partial_dates import PartialDate, Precision, normalize


def _precision_field(verbose_name):
    return models.CharField(
        verbose_name, max_length=5, choices=Precision.choices, default=Precision.DAY
    )


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


class RegionQuerySet(models.QuerySet):
    def home(self):
        return self.filter(is_home=True)

    def partners(self):
        """Regions that are the partner side of at least one partnership."""
        return self.filter(partnerships_as_partner__isnull=False).distinct()


class Region(models.Model):
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

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("relations:region_detail", kwargs={"slug": self.slug})


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


class Partnership(models.Model):
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
        ]

    def __str__(self):
        return f"{self.home_region} – {self.partner_region}"

    def get_absolute_url(self):
        return reverse("relations:partnership_detail", kwargs={"slug": self.slug})

    @property
    def began(self):
        return PartialDate.of(self, "began_on")


class AgreementQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=Agreement.Status.IN_FORCE)

    def counting_for_level(self):
        """Agreements that still count towards their partnership's level."""
        return self.exclude(status=Agreement.Status.TERMINATED)

    def for_list(self):
        return self.select_related(
            "partnership__home_region", "partnership__partner_region"
        ).prefetch_related("fields")


class Agreement(models.Model):
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

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    key_commitments = models.TextField(
        _("key commitments"), blank=True, help_text=_("One commitment per line.")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = _precision_field(_("precision of the signing date"))
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
            # The agreement list sorts by signing date, newest first, and filters by years.
            models.Index(fields=["signed_on"], name="relations_agreement_signed"),
            models.Index(fields=["kind", "status"], name="relations_agreement_kind"),
        ]

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
        if self.kind == self.Kind.SISTERHOOD:
            return Level.SISTERHOOD
        if self.kind == self.Kind.FRIENDSHIP:
            return Level.FRIENDSHIP
        return Level.COOPERATION

    @property
    def commitments(self):
        return [line.strip() for line in self.key_commitments.splitlines() if line.strip()]


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


class Participation(models.Model):
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


class WorkingGroup(models.Model):
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
    established_on_precision = _precision_field(_("precision of the establishment date"))
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

    @property
    def established(self):
        return PartialDate.of(self, "established_on")


class WorkingGroupMember(models.Model):
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


class Meeting(models.Model):
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


class Exchange(models.Model):
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
    starts_on_precision = _precision_field(_("precision of the start date"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ends_on_precision = _precision_field(_("precision of the end date"))
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("cooperation fields"),
        blank=True,
        related_name="exchanges",
    )

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
