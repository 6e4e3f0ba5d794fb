"""What the article admin's forms post, for tests that drive the real admin views."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.i18n import LANGUAGE_CODES

TEXT_FIELDS = ("title", "summary", "body", "image_alt", "image_caption")


def suffix(language):
    return language.replace("-", "_")


def article_url(action, *args):
    return reverse(f"admin:news_article_{action}", args=args)


def errors_of(response):
    """Return every error message of an admin change form, by field name."""
    form = response.context["adminform"].form
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(name="hero.png", size=(600, 400)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def split_datetime(value):
    """Return the admin's two inputs (date, time) for an aware datetime, in local time."""
    if value is None:
        return {"publish_at_0": "", "publish_at_1": ""}
    local = timezone.localtime(value)
    return {"publish_at_0": local.strftime("%Y-%m-%d"), "publish_at_1": local.strftime("%H:%M:%S")}


def change_notes_data(article=None):
    """Return the change notes inline's part of the POST: the article's notes as they are."""
    notes = list(article.change_notes.order_by("pk")) if article is not None else []
    data = {
        "change_notes-TOTAL_FORMS": str(len(notes)),
        "change_notes-INITIAL_FORMS": str(len(notes)),
    }
    for row, note in enumerate(notes):
        prefix = f"change_notes-{row}-"
        data.update({prefix + "id": str(note.pk), prefix + "date": note.date.isoformat()})
        for code in LANGUAGE_CODES:
            data[f"{prefix}text_{suffix(code)}"] = getattr(note, f"text_{suffix(code)}") or ""
    return data


def article_data(**overrides):
    """Return the add form's POST of an English draft; override any field by its form name."""
    data = {f"{field}_{suffix(code)}": "" for field in TEXT_FIELDS for code in LANGUAGE_CODES}
    data.update(change_notes_data())
    data.update(
        {
            "original_language": "en",
            "title_en": "Gyeonggi and Jiangsu become sister regions",
            "slug": "gyeonggi-jiangsu-sisterhood",
            "summary_en": "A sisterhood agreement was signed at Dodamso.",
            "body_en": "The two provinces **signed** an agreement.",
            "status": "draft",
            **split_datetime(None),
        }
    )
    return {**data, **overrides}


def article_change_data(article, **overrides):
    """Return the change form's POST that saves the article as it is, with `overrides`."""
    data = {
        f"{field}_{suffix(code)}": getattr(article, f"{field}_{suffix(code)}") or ""
        for field in TEXT_FIELDS
        for code in LANGUAGE_CODES
    }
    data.update(
        {
            "original_language": article.original_language,
            "slug": article.slug,
            "status": article.status,
            **split_datetime(article.publish_at),
            "partnerships": [str(pk) for pk in article.partnerships.values_list("pk", flat=True)],
            "regions": [str(pk) for pk in article.regions.values_list("pk", flat=True)],
            "fields": [str(pk) for pk in article.fields.values_list("pk", flat=True)],
            **change_notes_data(article),
        }
    )
    return {**data, **overrides}
