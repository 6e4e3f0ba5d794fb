"""Admin forms: the rules a form can explain better than the database's constraint can."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin.changes import StoredTextForm
from core.partial_dates import normalize
from core.uploads import MB, clean_uploaded_image, clean_uploaded_pdf, image_upload_field

from .models import Agreement, Exchange, Meeting, Partnership, Region, WorkingGroup

EMBLEM_MAX_BYTES = 5 * MB
# An emblem is shown 96 pixels wide; 10 megapixels leaves room for a scan.
EMBLEM_MAX_PIXELS = 10_000_000
DOCUMENT_MAX_BYTES = 20 * MB


class PartialDateFormMixin:
    """Normalize each partial date to its precision before the constraints are checked.

    The model normalizes on save; doing it here too means a rule such as "valid until is not
    before the signing date" is checked against the date that will be stored.
    """

    partial_date_fields = ()

    def clean(self):
        cleaned_data = super().clean()
        for name in self.partial_date_fields:
            precision = cleaned_data.get(f"{name}_precision")
            if cleaned_data.get(name) and precision:
                cleaned_data[name] = normalize(cleaned_data[name], precision)
        return cleaned_data


class PartnershipAdminForm(forms.ModelForm):
    class Meta:
        model = Partnership
        # "__all__", not a list: with a list, modeltranslation copies it onto the admin
        # instance, which then has both fields and fieldsets (admin.E005). The admin's
        # fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Used in the address. Leave it empty to use the partner region's slug."
            )

    def clean_home_region(self):
        region = self.cleaned_data["home_region"]
        if not region.is_home:
            home = Region.objects.home().first()
            if home is None:
                raise forms.ValidationError(
                    _("No region is marked as the home region yet; mark one first."),
                    code="no_home_region",
                )
            raise forms.ValidationError(
                _("The home region must be %(home)s, the region marked as the home region."),
                params={"home": home},
                code="not_home_region",
            )
        return region

    def clean(self):
        cleaned_data = super().clean()
        partner = cleaned_data.get("partner_region")
        if not cleaned_data.get("slug") and partner is not None:
            cleaned_data["slug"] = partner.slug
        return cleaned_data


def _offer_pdf(form, name):
    """State the PDF limit on the form, and have the browser offer PDF files first."""
    if name in form.fields:
        form.fields[name].help_text = _("A PDF document of at most %(size)d MB.") % {
            "size": DOCUMENT_MAX_BYTES // MB
        }
        form.fields[name].widget.attrs["accept"] = "application/pdf"


def _checked_pdf(value):
    """Return a new upload once it parses as a PDF; a file stored before is left alone."""
    if isinstance(value, UploadedFile):
        return clean_uploaded_pdf(value, max_bytes=DOCUMENT_MAX_BYTES)
    return value


class RegionAdminForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "emblem" in self.fields:
            self.fields["emblem"] = image_upload_field(
                self.fields["emblem"], max_bytes=EMBLEM_MAX_BYTES, max_pixels=EMBLEM_MAX_PIXELS
            )

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        if isinstance(emblem, UploadedFile):
            return clean_uploaded_image(
                emblem, max_bytes=EMBLEM_MAX_BYTES, max_pixels=EMBLEM_MAX_PIXELS
            )
        return emblem


class AgreementAdminForm(PartialDateFormMixin, forms.ModelForm):
    partial_date_fields = ("signed_on",)

    class Meta:
        model = Agreement
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_pdf(self, "document")

    def clean_document(self):
        return _checked_pdf(self.cleaned_data.get("document"))


class WorkingGroupAdminForm(PartialDateFormMixin, forms.ModelForm):
    partial_date_fields = ("established_on",)

    class Meta:
        model = WorkingGroup
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)


class ExchangeAdminForm(PartialDateFormMixin, forms.ModelForm):
    partial_date_fields = ("starts_on", "ends_on")

    class Meta:
        model = Exchange
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)


class MeetingAdminForm(StoredTextForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007 (the inline's fields list the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_pdf(self, "minutes")

    def clean_minutes(self):
        return _checked_pdf(self.cleaned_data.get("minutes"))


class ConstraintMessageInlineFormSet(BaseInlineFormSet):
    """Report duplicate rows within one submission with the constraint's own message."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) == set(
                unique_check
            ):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)
