"""Real files for the upload tests: images made with Pillow, PDF documents made with pypdf."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

ORIENTATION = 0x0112
GPS_IFD = 0x8825
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(image_format="JPEG", size=(640, 480), color=(200, 30, 30), **save_options):
    """Return the bytes of a one-colour image with a white top-left quarter."""
    image = Image.new("RGB", size, color)
    image.paste((255, 255, 255), (0, 0, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save_options)
    return buffer.getvalue()


def jpeg_with_exif(size=(640, 480), orientation=6):
    """Return a JPEG with an orientation tag, a GPS position and a camera make."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SpyCam"
    exif[GPS_IFD] = {1: "N", 2: (37.0, 16.0, 30.0), 3: "E", 4: (127.0, 0.0, 35.0)}
    return image_bytes("JPEG", size=size, exif=exif.tobytes())


def png_bomb(megapixels=100):
    """Return a PNG of that many black-and-white pixels, a few dozen kilobytes long."""
    side = int((megapixels * 1_000_000) ** 0.5)
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(*, pages=1, password=None):
    """Return a real PDF document of blank pages, encrypted when a password is given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def open_image(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
