from django.contrib import admin
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from core.admin.changes import TEXT_AREAS
from core.admin.content import ContentAdmin
from core.admin.lists import LargeListMixin
from core.trigram import contains

from . import admin_import
from .export import agreements_csv_response
from .export_xlsx import agreements_xlsx_response
from .filters import agreement_search, partner_country_choices, partnerships_named
from .forms import (
    AgreementAdminForm,
    ConstraintMessageInlineFormSet,
    ExchangeAdminForm,
    MeetingAdminForm,
    PartnershipAdminForm,
    RegionAdminForm,
    WorkingGroupAdminForm,
)
from .models import (
    Agreement,
    CooperationField,
    Exchange,
    Meeting,
    Participation,
    Partnership,
    Person,
    Region,
    WorkingGroup,
    WorkingGroupMember,
)

PARTNERSHIP_REGIONS = ("partnership__home_region", "partnership__partner_region")
PARTIAL_DATE_HELP = _(
    "Set each date's precision to how well it is known. For “year”, enter any date in the "
    "year: it is stored as 1 January. For “month”, enter any day of the month: it is stored "
    "as the 1st."
)


def titled(filter_class, title):
    """Return the list filter under another title (the admin uses the field's name)."""

    class TitledFilter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


class PartnerCountryFilter(titled(CountryFilter, _("partner country"))):
    """The countries of partner regions, from the regions: not a DISTINCT over every row."""

    def lookup_choices(self, changelist):
        return partner_country_choices()


PartnershipLevelFilter = titled(admin.ChoicesFieldListFilter, _("partnership level"))
# The columns of the exchanges' trigram index (migration 0003), in its order.
EXCHANGE_TITLES = tuple(get_translation_fields("title"))


def _searchable(*fields):
    """Return the given translated fields in every language, for search_fields."""
    return tuple(get_translation_fields(*fields))


@admin.register(CooperationField)
class CooperationFieldAdmin(LargeListMixin, ContentAdmin):
    list_display = ("name", "slug")
    search_fields = (*_searchable("name"), "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Region)
class RegionAdmin(LargeListMixin, ContentAdmin):
    form = RegionAdminForm
    list_display = ("name", "country_name", "kind", "parent", "is_home")
    list_select_related = ("parent",)
    list_filter = ("is_home", ("country", CountryFilter), "kind")
    search_fields = (*_searchable("name"), "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "country", "kind", "parent", "is_home")}),
        (_("Profile"), {"fields": ("description", "emblem", "website")}),
        (
            _("Figures and position"),
            {"fields": ("population", "area_km2", ("latitude", "longitude"))},
        ),
    )

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, region):
        return region.country.name


class PartnershipAgreementInline(admin.TabularInline):
    """The partnership's agreements, read-only: they are edited on their own pages."""

    model = Agreement
    fields = ("title", "kind", "signed", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("agreements (edit them under Agreements)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("signed on"))
    def signed(self, agreement):
        return str(agreement.signed)


@admin.register(Partnership)
class PartnershipAdmin(LargeListMixin, ContentAdmin):
    form = PartnershipAdminForm
    list_display = ("partner_region", "partner_country", "level", "status", "began")
    list_select_related = ("home_region", "partner_region")
    list_filter = ("level", "status", ("partner_region__country", PartnerCountryFilter))
    search_fields = (*_searchable("partner_region__name"), "slug")
    autocomplete_fields = ("home_region", "partner_region")
    readonly_fields = ("level", "began")
    inlines = (PartnershipAgreementInline,)
    fieldsets = (
        (None, {"fields": ("home_region", "partner_region", "slug", "summary")}),
        (
            _("Level"),
            {
                "fields": ("level", "began"),
                "description": _(
                    "Derived from the agreements, never typed in: the highest level that an "
                    "agreement which is not terminated sets, and the earliest signing date."
                ),
            },
        ),
        (_("Status"), {"fields": ("status", "status_changed_on", "status_reason")}),
    )

    def get_queryset(self, request):
        # The autocomplete of other admins lists partnerships by their two region names.
        return super().get_queryset(request).select_related("home_region", "partner_region")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        home = Region.objects.home().first()
        if home is not None:
            initial.setdefault("home_region", home.pk)
        return initial

    @admin.display(description=_("partner country"), ordering="partner_region__country")
    def partner_country(self, partnership):
        return partnership.partner_region.country.name

    @admin.display(description=_("began on"), ordering="began_on")
    def began(self, partnership):
        return str(partnership.began)


class ParticipationInline(TranslationTabularInline):
    model = Participation
    formset = ConstraintMessageInlineFormSet
    verbose_name_plural = _("participants: signatories, witnesses and attendees")
    fields = ("person", "role", "side", "title", "order")
    autocomplete_fields = ("person",)
    extra = 1


@admin.register(Agreement)
class AgreementAdmin(LargeListMixin, ContentAdmin):
    form = AgreementAdminForm
    list_display = ("title", "partnership", "kind", "signed", "status")
    list_select_related = PARTNERSHIP_REGIONS
    list_filter = (
        "kind",
        "status",
        ("partnership__level", PartnershipLevelFilter),
        ("partnership__partner_region__country", PartnerCountryFilter),
    )
    search_fields = (*_searchable("title"), *_searchable("partnership__partner_region__name"))
    autocomplete_fields = ("partnership", "fields")
    date_hierarchy = "signed_on"
    inlines = (ParticipationInline,)
    actions = ("export_csv", "export_xlsx")
    fieldsets = (
        (None, {"fields": ("partnership", "kind", "status", "title")}),
        (
            _("Dates"),
            {
                "fields": (
                    ("signed_on", "signed_on_precision"),
                    "valid_until",
                    "council_approved_on",
                ),
                "description": PARTIAL_DATE_HELP,
            },
        ),
        (_("Content"), {"fields": ("summary", "venue", "key_commitments", "fields")}),
        (_("Document and source"), {"fields": ("document", "source_url")}),
        (_("For staff only"), {"fields": ("internal_notes",)}),
    )

    @admin.display(description=_("signed on"), ordering="signed_on")
    def signed(self, agreement):
        return str(agreement.signed)

    def search_condition(self, term):
        # The title, summary or venue in any language, or the partner's name.
        return agreement_search(term)

    def get_urls(self):
        return admin_import.urls(self) + super().get_urls()

    # With "Select all N agreements", the queryset is every agreement that the change
    # list's filters and search match, across its pages.
    @admin.action(description=_("Export selected agreements as CSV"))
    def export_csv(self, request, queryset):
        return agreements_csv_response(queryset, language=get_language(), request=request)

    @admin.action(description=_("Export selected agreements as an Excel workbook"))
    def export_xlsx(self, request, queryset):
        return agreements_xlsx_response(queryset, language=get_language(), request=request)


@admin.register(Person)
class PersonAdmin(LargeListMixin, ContentAdmin):
    list_display = ("name",)
    search_fields = _searchable("name")


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    formset = ConstraintMessageInlineFormSet
    fields = ("person", "side", "role")
    autocomplete_fields = ("person",)
    extra = 1


class MeetingInline(TranslationStackedInline):
    model = Meeting
    form = MeetingAdminForm
    # A summary saved as it was shown is unchanged, as on the records' own forms.
    formfield_overrides = TEXT_AREAS
    fields = ("held_on", "place", "summary", "minutes")
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(LargeListMixin, ContentAdmin):
    form = WorkingGroupAdminForm
    list_display = ("name", "partnership", "status", "established")
    list_select_related = PARTNERSHIP_REGIONS
    list_filter = ("status", ("partnership__partner_region__country", PartnerCountryFilter))
    search_fields = (*_searchable("name"), *_searchable("partnership__partner_region__name"))
    autocomplete_fields = ("partnership", "fields")
    inlines = (WorkingGroupMemberInline, MeetingInline)
    fieldsets = (
        (None, {"fields": ("partnership", "name", "status", "mandate", "fields")}),
        (
            _("Established"),
            {
                "fields": (("established_on", "established_on_precision"),),
                "description": PARTIAL_DATE_HELP,
            },
        ),
    )

    @admin.display(description=_("established on"), ordering="established_on")
    def established(self, group):
        return str(group.established)


@admin.register(Exchange)
class ExchangeAdmin(LargeListMixin, ContentAdmin):
    form = ExchangeAdminForm
    list_display = ("title", "partnership", "kind", "direction", "starts", "participants")
    list_select_related = PARTNERSHIP_REGIONS
    list_filter = (
        "kind",
        "direction",
        ("partnership__partner_region__country", PartnerCountryFilter),
    )
    search_fields = (*_searchable("title"), *_searchable("partnership__partner_region__name"))
    autocomplete_fields = ("partnership", "fields")
    date_hierarchy = "starts_on"
    fieldsets = (
        (None, {"fields": ("partnership", "kind", "direction", "title", "description")}),
        (
            _("When and who"),
            {
                "fields": (
                    ("starts_on", "starts_on_precision"),
                    ("ends_on", "ends_on_precision"),
                    "participants",
                    "fields",
                ),
                "description": PARTIAL_DATE_HELP,
            },
        ),
    )

    @admin.display(description=_("starts on"), ordering="starts_on")
    def starts(self, exchange):
        return str(exchange.starts)

    def search_condition(self, term):
        return contains(EXCHANGE_TITLES, term) | Q(partnership__in=partnerships_named(term))
