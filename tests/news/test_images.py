import io
import os
import re
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, PngImagePlugin

from news.images import (
    article_make_renditions,
    clean_hero_image,
    hero_src,
    hero_srcset,
)
from tests.factories import ArticleFactory
from tests.news.helpers_images import (
    GPS_IFD,
    image_bytes,
    jpeg_with_exif,
    open_image,
    upload,
)

WHITE = (255, 255, 255)
POLYGLOT_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_URL = "/media/"


def _refused_with(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as excinfo:
        clean_hero_image(upload(data, name=name))
    return excinfo.value


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_it_accepts_and_re_encodes_jpeg_png_and_webp(image_format, extension):
    original = image_bytes(image_format, size=(320, 200))
    cleaned = clean_hero_image(upload(original, name=f"holiday.{extension}"))
    assert isinstance(cleaned, ContentFile)
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", cleaned.name)
    image = open_image(cleaned.read())
    assert image.format == image_format
    assert image.size == (320, 200)


def test_it_names_the_file_by_its_content_not_by_the_upload():
    cleaned = clean_hero_image(upload(image_bytes("PNG"), name="../../evil.jpg.html"))
    assert cleaned.name.endswith(".png")
    assert "evil" not in cleaned.name


def test_it_refuses_a_text_file_renamed_jpg():
    error = _refused_with(b"Just some notes, not a picture.\n" * 20, name="notes.jpg")
    assert error.code == "invalid_image_format"
    assert error.messages == ["Upload a JPEG, PNG or WebP image."]


def test_it_refuses_html_renamed_jpg():
    error = _refused_with(POLYGLOT_HTML, name="page.jpg")
    assert error.code == "invalid_image_format"


def test_it_refuses_a_gif():
    error = _refused_with(image_bytes("GIF"), name="animation.gif")
    assert error.code == "invalid_image_format"


def test_it_refuses_an_svg():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    assert _refused_with(svg, name="logo.png").code == "invalid_image_format"


def test_it_refuses_a_truncated_jpeg():
    data = image_bytes("JPEG", size=(800, 600))
    error = _refused_with(data[: len(data) // 2])
    assert error.code == "invalid_image"
    assert error.messages == ["The file is not a complete JPEG, PNG or WebP image."]


def test_it_refuses_a_truncated_png():
    data = image_bytes("PNG", size=(800, 600))
    assert _refused_with(data[: len(data) - 40], name="x.png").code == "invalid_image"


def test_it_refuses_an_image_over_10_mb():
    # Random pixels do not compress: a real 1900x1900 PNG of about 10.8 MB.
    noise = Image.frombytes("RGB", (1900, 1900), os.urandom(1900 * 1900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=1)
    assert buffer.tell() > 10 * 1024 * 1024
    error = _refused_with(buffer.getvalue(), name="big.png")
    assert error.code == "image_too_large"
    assert error.messages == ["The image is larger than 10 MB."]


def test_it_refuses_a_stream_over_10_mb_that_claims_a_smaller_size():
    data = image_bytes("JPEG") + b"\0" * (10 * 1024 * 1024)
    stream = io.BytesIO(data)
    assert pytest.raises(ValidationError, clean_hero_image, stream).value.code == (
        "image_too_large"
    )


def test_it_refuses_a_decompression_bomb_over_40_megapixels():
    bomb = image_bytes("PNG", size=(8000, 6000), color=(0, 0, 0))
    assert len(bomb) < 1024 * 1024  # 48 megapixels in a small file
    error = _refused_with(bomb, name="bomb.png")
    assert error.code == "image_too_many_pixels"
    assert error.messages == ["The image has more than 40 megapixels."]


def test_it_refuses_a_bomb_past_pillows_own_limit_without_changing_it():
    limit = Image.MAX_IMAGE_PIXELS
    filters = list(warnings.filters)
    buffer = io.BytesIO()
    Image.new("1", (20000, 10000)).save(buffer, "PNG")  # 200 megapixels
    error = _refused_with(buffer.getvalue(), name="bomb.png")
    assert error.code == "image_too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS == limit
    assert warnings.filters == filters


def test_it_accepts_an_image_of_exactly_40_megapixels():
    cleaned = clean_hero_image(upload(image_bytes("PNG", size=(8000, 5000)), name="x.png"))
    assert open_image(cleaned.read()).size == (8000, 5000)


def test_it_turns_an_image_upright_and_drops_its_exif_and_location():
    original = jpeg_with_exif(size=(640, 480), orientation=6)
    assert open_image(original).getexif().get_ifd(GPS_IFD)
    stored = clean_hero_image(upload(original)).read()
    image = open_image(stored)
    # Orientation 6 means "rotate 90 degrees clockwise": the white top-left quarter moves
    # to the top right.
    assert image.size == (480, 640)
    assert _near(image.getpixel((470, 10)), WHITE)
    assert not _near(image.getpixel((10, 10)), WHITE)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif" not in stored
    assert b"SpyCam" not in stored


@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        ("JPEG", {"comment": b"<script>alert(1)</script>"}),
        ("JPEG", {"xmp": b"<x:xmpmeta><script>alert(1)</script></x:xmpmeta>"}),
        ("WEBP", {"xmp": b"<x:xmpmeta><script>alert(1)</script></x:xmpmeta>"}),
        ("WEBP", {"exif": b"Exif\0\0<script>alert(1)</script>"}),
    ],
)
def test_it_drops_metadata_that_could_carry_markup(image_format, options):
    stored = clean_hero_image(upload(image_bytes(image_format, **options))).read()
    assert b"<script" not in stored
    assert b"xmpmeta" not in stored


def test_it_drops_png_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_text("GPS", "37.27, 127.01")
    stored = clean_hero_image(upload(image_bytes("PNG", pnginfo=info), name="x.png")).read()
    assert b"<script" not in stored
    assert b"37.27" not in stored


def test_it_never_stores_a_polyglot_as_uploaded():
    polyglot = image_bytes("PNG", size=(200, 100)) + POLYGLOT_HTML
    assert open_image(polyglot).format == "PNG"  # Pillow reads it as a valid image
    stored = clean_hero_image(upload(polyglot, name="x.png")).read()
    assert b"<script" not in stored
    assert b"<html" not in stored
    assert open_image(stored).size == (200, 100)


def test_it_keeps_png_transparency():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    stored = open_image(clean_hero_image(upload(buffer.getvalue(), name="x.png")).read())
    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] == 0


def test_it_stores_a_cmyk_jpeg_as_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (60, 40), (0, 255, 255, 0)).save(buffer, "JPEG")
    stored = open_image(clean_hero_image(upload(buffer.getvalue())).read())
    assert (stored.format, stored.mode) == ("JPEG", "RGB")
    assert _near(stored.getpixel((5, 5)), (255, 0, 0), tolerance=30)


def _near(pixel, expected, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def _article_with_image(size, image_format="JPEG"):
    cleaned = clean_hero_image(upload(image_bytes(image_format, size=size)))
    return ArticleFactory(hero_image=cleaned)


def _rendition_files():
    return sorted(default_storage.listdir("news/renditions")[1])


@pytest.mark.django_db
def test_it_makes_renditions_at_each_width():
    article = _article_with_image((2000, 1000))
    article_make_renditions(article=article)
    article.refresh_from_db()
    assert sorted(article.renditions, key=int) == ["480", "960", "1600"]
    for width, name in article.renditions.items():
        assert name.startswith("news/renditions/")
        with default_storage.open(name) as stored:
            image = open_image(stored.read())
        assert image.format == "WEBP"
        assert image.size == (int(width), int(width) // 2)


@pytest.mark.django_db
def test_it_never_makes_a_rendition_wider_than_the_source():
    article = _article_with_image((1000, 800))
    article_make_renditions(article=article)
    assert sorted(article.renditions, key=int) == ["480", "960"]
    assert len(_rendition_files()) == 2


@pytest.mark.django_db
def test_it_uses_the_original_when_the_source_is_narrower_than_any_rendition():
    article = _article_with_image((300, 200), image_format="PNG")
    article_make_renditions(article=article)
    assert article.renditions == {}
    assert hero_srcset(article) == ""
    assert hero_src(article) == article.hero_image.url
    assert re.fullmatch(r"/media/news/[0-9a-f]{32}\.png", hero_src(article))


@pytest.mark.django_db
def test_it_makes_renditions_once(django_assert_num_queries):
    article = _article_with_image((1200, 600))
    article_make_renditions(article=article)
    files = _rendition_files()
    modified = [default_storage.get_modified_time(f"news/renditions/{f}") for f in files]
    # Nothing to do the second time: no query, no file written.
    with django_assert_num_queries(0):
        article_make_renditions(article=article)
    assert _rendition_files() == files
    assert [default_storage.get_modified_time(f"news/renditions/{f}") for f in files] == modified


@pytest.mark.django_db
def test_it_remakes_a_missing_rendition_under_the_same_name():
    article = _article_with_image((1200, 600))
    article_make_renditions(article=article)
    names = dict(article.renditions)
    default_storage.delete(names["960"])
    article_make_renditions(article=article)
    assert article.renditions == names
    assert default_storage.exists(names["960"])
    assert len(_rendition_files()) == 2


@pytest.mark.django_db
def test_it_deletes_the_renditions_of_a_replaced_image():
    article = _article_with_image((1200, 600))
    article_make_renditions(article=article)
    old_names = list(article.renditions.values())
    article.hero_image = clean_hero_image(upload(image_bytes("PNG", size=(700, 700))))
    article.save()
    article_make_renditions(article=article)
    assert not any(default_storage.exists(name) for name in old_names)
    assert list(article.renditions) == ["480"]
    assert _rendition_files() == [article.renditions["480"].rsplit("/", 1)[1]]


@pytest.mark.django_db
def test_it_deletes_the_renditions_when_the_image_is_removed():
    article = _article_with_image((1200, 600))
    article_make_renditions(article=article)
    article.hero_image = None
    article.save()
    article_make_renditions(article=article)
    article.refresh_from_db()
    assert article.renditions == {}
    assert _rendition_files() == []


@pytest.mark.django_db
def test_it_saves_only_the_renditions_field():
    article = _article_with_image((600, 400))
    article.title_en = "Unsaved title"
    article_make_renditions(article=article)
    article.refresh_from_db()
    assert article.title_en != "Unsaved title"
    assert list(article.renditions) == ["480"]


@pytest.mark.django_db
def test_it_builds_srcset_and_src_from_the_renditions():
    article = _article_with_image((2000, 1000))
    article_make_renditions(article=article)
    stem = article.hero_image.name.rsplit("/", 1)[1].split(".")[0]
    base = f"/media/news/renditions/{stem}"
    assert hero_srcset(article) == (
        f"{base}-480.webp 480w, {base}-960.webp 960w, {base}-1600.webp 1600w"
    )
    assert hero_src(article) == f"{base}-1600.webp"


@pytest.mark.django_db
def test_it_has_no_src_without_an_image():
    article = ArticleFactory()
    article_make_renditions(article=article)
    assert hero_src(article) == ""
    assert hero_srcset(article) == ""
