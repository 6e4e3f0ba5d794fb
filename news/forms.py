"""The admin's article form: the rules an editor needs explained in the form."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .images import clean_hero_image
from .models import LANGUAGE_CODES, Article

IMAGE_TYPES = "image/jpeg,image/png,image/webp"
# Paths under /<lang>/news/ that an article's slug would shadow or be shadowed by.
RESERVED_SLUGS = {"feed", "preview"}


def confirm_field_name(language):
    return build_localized_fieldname("confirm", language)


def language_name(language):
    return get_language_info(language)["name_translated"]


def _confirm_field():
    return forms.BooleanField(
        required=False,
        help_text=_(
            "Tick after comparing this translation with the original as it is now, when the "
            "translation needed no change. Saving changed text in this language does the same."
        ),
    )


class ArticleAdminForm(forms.ModelForm):
    # One "checked against the current original" box per language: not stored, it only moves
    # the language's revision up to the original's (news.services.article_track_translations).
    confirm_en = _confirm_field()
    confirm_ko = _confirm_field()
    confirm_zh_hans = _confirm_field()

    class Meta:
        model = Article
        # "__all__", not a list: with a list, modeltranslation copies it onto the admin
        # instance, which then has both fields and fieldsets (admin.E005). The admin's
        # fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish_time_defaulted = False
        for language in LANGUAGE_CODES:
            # Required in the original language only, whichever that is (see clean()).
            title = build_localized_fieldname("title", language)
            if title in self.fields:
                self.fields[title].required = False
        for language in LANGUAGE_CODES:
            name = confirm_field_name(language)
            if name in self.fields:
                self.fields[name].label = _(
                    "%(language)s translation checked against the current original"
                ) % {"language": language_name(language)}
        if "hero_image" in self.fields:
            # A plain file field: news.images.clean_hero_image opens the upload itself and
            # explains what is wrong with it, where the model's ImageField would only say
            # "Upload a valid image" (a decompression bomb included).
            widget = self.fields["hero_image"].widget
            widget.attrs["accept"] = IMAGE_TYPES
            self.fields["hero_image"] = forms.FileField(
                required=False,
                widget=widget,
                label=self.fields["hero_image"].label,
                help_text=_("JPEG, PNG or WebP; at most 10 MB and 40 megapixels."),
            )

    @property
    def confirmed_languages(self):
        return [
            language
            for language in LANGUAGE_CODES
            if self.cleaned_data.get(confirm_field_name(language))
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved for the news pages; choose another slug."),
                params={"slug": slug},
                code="reserved_slug",
            )
        return slug

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        if isinstance(image, UploadedFile):
            return clean_hero_image(image)
        return image

    def clean(self):
        cleaned_data = super().clean()
        original = cleaned_data.get("original_language")
        if original:
            self._require_title(cleaned_data, original)
        self._require_alt_text(cleaned_data, original)
        self._default_publish_time(cleaned_data)
        return cleaned_data

    def _require_title(self, cleaned_data, original):
        name = build_localized_fieldname("title", original)
        if name in self.fields and not cleaned_data.get(name):
            self.add_error(
                name,
                forms.ValidationError(
                    _("The title is required in the original language (%(language)s)."),
                    params={"language": language_name(original)},
                    code="original_title_required",
                ),
            )

    def _require_alt_text(self, cleaned_data, original):
        """Alt text is required in the original language, and in every language with a title."""
        if not cleaned_data.get("hero_image"):
            return
        for language in LANGUAGE_CODES:
            has_title = cleaned_data.get(build_localized_fieldname("title", language))
            name = build_localized_fieldname("image_alt", language)
            needed = language == original or has_title
            if needed and name in self.fields and not cleaned_data.get(name):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "Describe the image in %(language)s: alt text is required "
                            "whenever an image is set."
                        ),
                        params={"language": language_name(language)},
                        code="image_alt_required",
                    ),
                )

    def _default_publish_time(self, cleaned_data):
        published = cleaned_data.get("status") == Article.Status.PUBLISHED
        if published and not cleaned_data.get("publish_at") and "publish_at" not in self.errors:
            cleaned_data["publish_at"] = timezone.now()
            self.publish_time_defaulted = True
