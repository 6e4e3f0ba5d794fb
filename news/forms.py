"""The admin's article form: the rules an editor needs explained in the form."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.admin.changes import HiddenCheckField
from core.i18n import LANGUAGE_CODES
from core.uploads import image_upload_field

from . import images
from .models import Article, PendingChange
from .pending import pending_change_initial
from .publishing import offered_statuses, publishing_refusals

# Paths under /<lang>/news/ that an article's slug would shadow or be shadowed by.
RESERVED_SLUGS = {"feed", "preview"}
# A hidden field: the article's pending change as it was when the form was opened.
PENDING_FIELD = "pending_stamp"


def confirm_field_name(language):
    return build_localized_fieldname("confirm", language)


def language_name(language):
    return get_language_info(language)["name_translated"]


def pending_stamp(pending_change: PendingChange | None) -> str:
    return pending_change.updated_at.isoformat() if pending_change else ""


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
    # the language's revision up to the original's (news.translation_tracking).
    confirm_en = _confirm_field()
    confirm_ko = _confirm_field()
    confirm_zh_hans = _confirm_field()
    pending_stamp = HiddenCheckField()

    class Meta:
        model = Article
        # "__all__", not a list: with a list, modeltranslation copies it onto the admin
        # instance, which then has both fields and fieldsets (admin.E005). The admin's
        # fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007 (see above: the admin fieldsets list the fields)

    # Set per request by ArticleAdmin.get_form from news.publishing: whether the user may
    # publish, and the article's (status, publish time) as saved before this request.
    can_publish = False
    saved_publishing = None
    # Set per request by news.admin_pending: whether saving makes a pending change (the user
    # cannot publish, the article is published), the article's pending change, and whether
    # the form starts from it.
    holds_pending = False
    pending_change = None
    shows_pending = False

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
        if not self.can_publish:
            self._offer_no_publishing()
        if "hero_image" in self.fields:
            self.fields["hero_image"] = image_upload_field(
                self.fields["hero_image"], max_bytes=images.MAX_BYTES, max_pixels=images.MAX_PIXELS
            )
        self._offer_pending_change()

    def _offer_pending_change(self):
        if not self.is_bound and self.shows_pending and self.pending_change is not None:
            self.initial.update(pending_change_initial(self.pending_change))
        if not self.holds_pending:
            return
        if not self.is_bound:
            self.initial[PENDING_FIELD] = pending_stamp(self.pending_change)
        if "hero_image" in self.fields:
            # A pending change holds text; a new image would be public as soon as it is saved.
            self.fields["hero_image"].disabled = True
            self.fields["hero_image"].help_text = _(
                "Only a publisher can change the image of a published article."
            )

    def _offer_no_publishing(self):
        """Offer only what the user may do; clean() refuses the rest, a crafted POST included."""
        saved_status, saved_time = self.saved_publishing or (None, None)
        # As saved before this request: a reverted version's status is not the article's.
        self.initial["status"] = saved_status or Article.Status.DRAFT
        self.initial["publish_at"] = saved_time
        if "status" in self.fields:
            offered = offered_statuses(self.saved_publishing)
            # The widget's choices only: the field still accepts every status, so that
            # clean() can say why a publishing status is refused.
            self.fields["status"].widget.choices = [(s, Article.Status(s).label) for s in offered]
        if "publish_at" in self.fields:
            # A plain read-only input: the admin's calendar shortcuts would still change it.
            self.fields["publish_at"].widget = forms.SplitDateTimeWidget(attrs={"readonly": True})
            self.fields["publish_at"].help_text = _("Set by a publisher.")

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
            return images.clean_hero_image(image)
        return image

    def clean(self):
        cleaned_data = super().clean()
        original = cleaned_data.get("original_language")
        if original:
            self._require_title(cleaned_data, original)
        self._require_alt_text(cleaned_data, original)
        if not self.can_publish:
            self._refuse_publishing(cleaned_data)
        if self.holds_pending:
            self._check_pending_stamp()
        self._default_publish_time(cleaned_data)
        return cleaned_data

    def _check_pending_stamp(self):
        """Refuse to replace a pending change saved, published or discarded since opening."""
        opened = self.data.get(PENDING_FIELD)
        current = pending_stamp(self.pending_change)
        if opened is None or opened == current:
            return  # a form without the field (a script's POST) has nothing to compare with
        self.add_error(
            None,
            _(
                "Someone saved, published or discarded a pending change to this article while "
                "you were editing it. Nothing you entered has been saved yet: open the article "
                "again in another window to see its pending change, or save again to replace "
                "it with your text."
            ),
        )
        # Saving again, having been told, replaces it.
        self.data = self.data.copy()
        self.data[PENDING_FIELD] = current

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

    def _refuse_publishing(self, cleaned_data):
        saved = self.saved_publishing
        checked = {name: cleaned_data.get(name) for name in ("status", "publish_at")}
        refusals = publishing_refusals(saved=saved, **checked)
        for name, message in refusals.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, forms.ValidationError(message, code="publish_not_permitted"))
        if "publish_at" not in refusals and saved is not None:
            # Unchanged to the second, as shown: keep the stored time to the microsecond.
            cleaned_data["publish_at"] = saved[1]

    def _default_publish_time(self, cleaned_data):
        published = cleaned_data.get("status") == Article.Status.PUBLISHED
        if published and not cleaned_data.get("publish_at") and "publish_at" not in self.errors:
            cleaned_data["publish_at"] = timezone.now()
            self.publish_time_defaulted = True
