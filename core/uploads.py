"""What every uploaded file goes through before it is stored.

Images are decoded and re-encoded by Pillow: the stored file holds pixels only, with no
metadata and nothing appended. PDF documents must parse as PDF, not merely start like one.
Each check raises a translated ValidationError that a form can show; none lets a hostile
file turn into a 500.
"""

import io
import struct
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

MB = 1024 * 1024
# Pillow format -> stored file extension. Anything else Pillow can open is refused: GIF,
# TIFF, PostScript, and SVG (which Pillow cannot open and a browser would run scripts in).
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_TYPES = "image/jpeg,image/png,image/webp"
# What Pillow raises for a broken or hostile file; none of it should reach the editor as a 500.
_BROKEN_IMAGE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def image_upload_field(model_field, *, max_bytes, max_pixels):
    """Return a plain file field for a form's image, stating its limits.

    Plain, not forms.ImageField: that one only verifies the header and lets a decompression
    bomb or a truncated file through; clean_uploaded_image opens the upload itself and says
    what is wrong with it.
    """
    widget = model_field.widget
    widget.attrs["accept"] = IMAGE_TYPES
    limits = {"size": max_bytes // MB, "pixels": max_pixels // 1_000_000}
    return forms.FileField(
        required=False,
        widget=widget,
        label=model_field.label,
        help_text=_("JPEG, PNG or WebP; at most %(size)d MB and %(pixels)d megapixels.") % limits,
    )


def clean_uploaded_image(upload, *, max_bytes, max_pixels):
    """Return the image re-encoded upright and without metadata, or raise ValidationError.

    max_bytes is a whole number of megabytes: the error messages say it in MB.
    """
    data = _read_limited(upload, max_bytes, _image_too_large)
    try:
        with warnings.catch_warnings():
            # A per-call guard: Pillow's bomb warning becomes an error only here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open_image(data, max_pixels)
            encoded = _encode(_strip(image), image.format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image."), code="invalid_image_format"
        ) from exc
    except _BROKEN_IMAGE as exc:
        raise ValidationError(
            _("The file is not a complete JPEG, PNG or WebP image."), code="invalid_image"
        ) from exc
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image.format]}")


def clean_uploaded_pdf(upload, *, max_bytes):
    """Return the document, unchanged but renamed, if it is a readable PDF; else raise.

    The bytes are kept as uploaded: rewriting the file would break a digital signature.
    """
    data = _read_limited(upload, max_bytes, _file_too_large)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    # pypdf raises many kinds of exception on malformed input, not only PdfReadError.
    except Exception as exc:
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf") from exc
    if encrypted:
        raise ValidationError(
            _("The PDF document is encrypted. Upload a copy without a password or restrictions."),
            code="encrypted_pdf",
        )
    if pages == 0:
        raise ValidationError(_("The PDF document has no pages."), code="empty_pdf")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


def _read_limited(upload, max_bytes, too_large):
    """Return the upload's bytes, reading no more than max_bytes + 1 of them."""
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise too_large(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


def _open_image(data, max_pixels):
    """Open the image, refusing other formats and oversized ones before decoding any pixels."""
    # Only these decoders are tried: a GIF, SVG or PostScript file is unidentified.
    with Image.open(io.BytesIO(data), formats=tuple(IMAGE_FORMATS)) as probe:
        width, height = probe.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        probe.verify()
    # verify() leaves the image unusable; reopen and decode it fully, which finds truncation.
    image = Image.open(io.BytesIO(data), formats=tuple(IMAGE_FORMATS))
    image.load()
    return image


def _strip(image):
    """Return a new image, upright, without EXIF, XMP, ICC, comments or text chunks."""
    try:
        clean = ImageOps.exif_transpose(image)  # always a new image
    except _BROKEN_IMAGE:
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


def _image_too_large(max_bytes):
    return ValidationError(
        _("The image is larger than %(size)d MB."),
        code="image_too_large",
        params={"size": max_bytes // MB},
    )


def _too_many_pixels(max_pixels):
    return ValidationError(
        _("The image has more than %(pixels)d megapixels."),
        code="image_too_many_pixels",
        params={"pixels": max_pixels // 1_000_000},
    )


def _file_too_large(max_bytes):
    return ValidationError(
        _("The file is too large (at most %(limit)s)."),
        code="too_large",
        params={"limit": filesizeformat(max_bytes)},
    )
