"""The hero image tests' files: the builders now live in tests.uploads, shared with relations."""

from tests.uploads import GPS_IFD, ORIENTATION, image_bytes, jpeg_with_exif, open_image, upload

__all__ = ["GPS_IFD", "ORIENTATION", "image_bytes", "jpeg_with_exif", "open_image", "upload"]
