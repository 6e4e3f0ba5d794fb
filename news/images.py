"""Hero images: validated and re-encoded on upload, with renditions for srcset made once."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from core.uploads import IMAGE_FORMATS, MB, clean_uploaded_image

MAX_BYTES = 10 * MB
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 960, 1600)
RENDITIONS_DIR = "news/renditions"


def clean_hero_image(upload):
    """Return the upload re-encoded without metadata, or raise ValidationError."""
    return clean_uploaded_image(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)


def article_make_renditions(*, article):
    """Write the hero image's renditions and save article.renditions; runs one query at most."""
    wanted = _wanted_renditions(article)
    if wanted == article.renditions and all(map(default_storage.exists, wanted.values())):
        return
    for name in article.renditions.values():
        if name not in wanted.values() and default_storage.exists(name):
            default_storage.delete(name)
    if wanted:
        _write_renditions(article, wanted)
    article.renditions = wanted
    article.save(update_fields=["renditions"])


def _wanted_renditions(article):
    """Map each width not above the hero image's to the name of its rendition."""
    if not article.hero_image:
        return {}
    with (
        article.hero_image.open("rb") as source,
        Image.open(source, formats=tuple(IMAGE_FORMATS)) as image,
    ):
        width = _upright_size(image)[0]
    stem = PurePosixPath(article.hero_image.name).stem
    return {str(w): f"{RENDITIONS_DIR}/{stem}-{w}.webp" for w in RENDITION_WIDTHS if w <= width}


def _upright_size(image):
    # EXIF orientations 5-8 swap width and height; uploads are stored upright already.
    orientation = image.getexif().get(0x0112, 1)
    return image.size[::-1] if orientation in (5, 6, 7, 8) else image.size


def _write_renditions(article, wanted):
    with (
        article.hero_image.open("rb") as source,
        Image.open(source, formats=tuple(IMAGE_FORMATS)) as original,
    ):
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        for width, name in wanted.items():
            height = max(1, round(image.height * int(width) / image.width))
            buffer = io.BytesIO()
            image.resize((int(width), height), Image.Resampling.LANCZOS).save(
                buffer, "WEBP", quality=80
            )
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(buffer.getvalue()))


def hero_srcset(article):
    """Return the renditions as an <img srcset> value, narrowest first."""
    widths = sorted(article.renditions, key=int)
    return ", ".join(f"{default_storage.url(article.renditions[w])} {w}w" for w in widths)


def hero_src(article):
    """Return the URL of the largest rendition, else of the original, else ''."""
    if article.renditions:
        return default_storage.url(article.renditions[max(article.renditions, key=int)])
    return article.hero_image.url if article.hero_image else ""
