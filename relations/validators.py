from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def validate_pdf(upload):
    """Refuse files that are not PDF documents, whatever their name says."""
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(limit)s)."),
            params={"limit": filesizeformat(MAX_PDF_BYTES)},
            code="too_large",
        )
    position = upload.tell()
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")


def validate_image_size(upload):
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large (at most %(limit)s)."),
            params={"limit": filesizeformat(MAX_IMAGE_BYTES)},
            code="too_large",
        )
