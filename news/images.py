"""Hero images: validated and re-encoded on upload, with renditions for srcset made once."""

import io
import struct
import uuid
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow format -> stored file extension. Anything else Pillow can open is refused.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)
RENDITIONS_DIR = "news/renditions"
# What Pillow raises for a broken or hostile file; none of it should reach the editor as a 500.
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def clean_hero_image(upload):
    """Return the upload re-encoded without metadata, or raise ValidationError."""
    data = _read_limited(upload)
    try:
        with warnings.catch_warnings():
            # A per-call guard: Pillow's bomb warning becomes an error only here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open_checked(data)
            encoded = _encode(_strip(image), image.format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise _wrong_format() from exc
    except _BROKEN as exc:
        raise ValidationError(
            _("The file is not a complete JPEG, PNG or WebP image."), code="invalid_image"
        ) from exc
    extension = FORMATS[image.format]
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{extension}")


def _read_limited(upload):
    if getattr(upload, "size", None) is not None and upload.size > MAX_BYTES:
        raise _too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large()
    return data


def _open_checked(data):
    """Open the image, refusing other formats and oversized ones before decoding any pixels."""
    # Only these decoders are tried: a GIF, SVG or PostScript file is unidentified.
    with Image.open(io.BytesIO(data), formats=tuple(FORMATS)) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels()
        probe.verify()
    # verify() leaves the image unusable; reopen and decode it fully, which finds truncation.
    image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
    image.load()
    return image


def _strip(image):
    """Return a new image, upright, without EXIF, XMP, ICC, comments or text chunks."""
    try:
        clean = ImageOps.exif_transpose(image)  # always a new image
    except _BROKEN:
        # Unreadable EXIF: the pixels are fine, and the metadata goes anyway.
        clean = image.copy()
    if image.format == "JPEG" and clean.mode not in ("L", "RGB"):
        clean = clean.convert("RGB")
    elif image.format == "WEBP" and clean.mode not in ("RGB", "RGBA"):
        clean = clean.convert("RGBA" if clean.has_transparency_data else "RGB")
    # Encoders read ICC profiles and comments from info: keep only a PNG's transparency.
    transparency = clean.info.get("transparency") if image.format == "PNG" else None
    clean.info = {} if transparency is None else {"transparency": transparency}
    return clean


def _encode(image, image_format):
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=85)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def _wrong_format():
    return ValidationError(_("Upload a JPEG, PNG or WebP image."), code="invalid_image_format")


def _too_large():
    return ValidationError(
        _("The image is larger than %(size)d MB."),
        code="image_too_large",
        params={"size": MAX_BYTES // (1024 * 1024)},
    )


def _too_many_pixels():
    return ValidationError(
        _("The image has more than %(pixels)d megapixels."),
        code="image_too_many_pixels",
        params={"pixels": MAX_PIXELS // 1_000_000},
    )


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
        Image.open(source, formats=tuple(FORMATS)) as image,
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
        Image.open(source, formats=tuple(FORMATS)) as original,
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
