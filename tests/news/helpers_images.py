"""Real image files made with Pillow, for the hero image tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


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


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def open_image(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
