"""Admin forms: the rules a form can explain better than the database's constraint can."""

from django import forms
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Exchange, Partnership, Region, WorkingGroup
from .partial_dates import normalize


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


class AgreementAdminForm(PartialDateFormMixin, forms.ModelForm):
    partial_date_fields = ("signed_on",)

    class Meta:
        model = Agreement
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)


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


class ConstraintMessageInlineFormSet(BaseInlineFormSet):
    """Report duplicate rows within one submission with the constraint's own message."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) == set(
                unique_check
            ):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)
