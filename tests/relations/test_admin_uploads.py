"""Emblems, agreement documents and meeting minutes uploaded through the real admin views."""

import re

import pytest
from django.core.files.base import ContentFile

from relations.models import Agreement, Region, WorkingGroup
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory
from tests.relations.admin_posts import (
    admin_url,
    agreement_data,
    errors_of,
    region_data,
    working_group_data,
)
from tests.uploads import (
    GPS_IFD,
    HTML,
    image_bytes,
    jpeg_with_exif,
    open_image,
    pdf_bytes,
    png_bomb,
    upload,
)

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.4\n" + HTML


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_emblem(client, data, name="emblem.png", content_type="image/png"):
    return client.post(
        admin_url(Region, "add"), region_data(emblem=upload(data, name, content_type))
    )


def stored_emblem():
    with Region.objects.get().emblem.open("rb") as emblem:
        return emblem.read()


def post_document(client, data, name="agreement.pdf"):
    partnership = PartnershipFactory()
    document = upload(data, name, "application/pdf")
    return client.post(
        admin_url(Agreement, "add"), agreement_data(partnership=partnership, document=document)
    )


def test_it_refuses_an_emblem_that_is_a_100_megapixel_png_bomb(admin_client, media_root):
    bomb = png_bomb(megapixels=100)
    assert len(bomb) < 100 * 1024  # small in bytes, huge once decoded
    r = post_emblem(admin_client, bomb)
    assert r.status_code == 200
    assert "The image has more than 10 megapixels." in errors_of(r)
    assert not Region.objects.exists()


def test_it_refuses_an_emblem_just_over_10_megapixels(admin_client, media_root):
    r = post_emblem(admin_client, image_bytes("PNG", size=(4000, 2501), color=(0, 0, 0)))
    assert r.status_code == 200
    assert "The image has more than 10 megapixels." in errors_of(r)
    assert not Region.objects.exists()


def test_it_drops_html_appended_to_an_emblem(admin_client, media_root):
    polyglot = image_bytes("PNG", size=(120, 80)) + HTML
    assert open_image(polyglot).format == "PNG"  # Pillow reads it as a valid image
    r = post_emblem(admin_client, polyglot)
    assert r.status_code == 302
    stored = stored_emblem()
    assert b"<script" not in stored
    assert b"<html" not in stored
    image = open_image(stored)
    assert (image.format, image.size) == ("PNG", (120, 80))


def test_it_refuses_a_truncated_jpeg_emblem(admin_client, media_root):
    data = image_bytes("JPEG", size=(800, 600))
    r = post_emblem(admin_client, data[: len(data) // 2], "emblem.jpg", "image/jpeg")
    assert r.status_code == 200
    assert "The file is not a complete JPEG, PNG or WebP image." in errors_of(r)
    assert not Region.objects.exists()


def test_it_drops_the_exif_and_location_of_a_jpeg_emblem(admin_client, media_root):
    original = jpeg_with_exif(size=(640, 480), orientation=6)
    assert open_image(original).getexif().get_ifd(GPS_IFD)
    r = post_emblem(admin_client, original, "emblem.jpg", "image/jpeg")
    assert r.status_code == 302
    stored = stored_emblem()
    image = open_image(stored)
    assert len(image.getexif()) == 0
    assert b"Exif" not in stored
    assert b"SpyCam" not in stored
    # Turned upright first, as the orientation tag asked: the tag goes with the rest.
    assert image.size == (480, 640)


def test_it_refuses_a_gif_named_png(admin_client, media_root):
    r = post_emblem(admin_client, image_bytes("GIF"))
    assert r.status_code == 200
    assert "Upload a JPEG, PNG or WebP image." in errors_of(r)
    assert not Region.objects.exists()


def test_it_refuses_an_svg_emblem(admin_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    r = post_emblem(admin_client, svg, "emblem.png")
    assert r.status_code == 200
    assert "Upload a JPEG, PNG or WebP image." in errors_of(r)
    assert not Region.objects.exists()


def test_it_names_a_stored_emblem_by_its_content(admin_client, media_root):
    r = post_emblem(admin_client, image_bytes("WEBP"), "../../emblem.png.html", "text/html")
    assert r.status_code == 302
    assert re.fullmatch(r"regions/emblems/[0-9a-f]{32}\.webp", Region.objects.get().emblem.name)


def test_it_states_the_emblem_limits_on_the_form(admin_client):
    r = admin_client.get(admin_url(Region, "add"))
    assert "JPEG, PNG or WebP; at most 5 MB and 10 megapixels." in r.content.decode()


def test_it_saves_a_region_whose_emblem_file_is_missing(admin_client, media_root):
    region = RegionFactory(emblem=ContentFile(image_bytes("PNG"), name="old.png"))
    (media_root / region.emblem.name).unlink()
    data = region_data(name_en="Renamed", slug=region.slug, country=str(region.country))
    r = admin_client.post(admin_url(Region, "change", region.pk), data)
    assert r.status_code == 302
    region.refresh_from_db()
    assert region.name == "Renamed"


def test_it_refuses_a_document_that_only_starts_like_a_pdf(admin_client, media_root):
    r = post_document(admin_client, FAKE_PDF)
    assert r.status_code == 200
    assert "The file is not a PDF document." in errors_of(r)
    assert not Agreement.objects.exists()


def test_it_accepts_a_real_pdf_and_stores_it_unchanged(admin_client, media_root):
    document = pdf_bytes(pages=2)
    r = post_document(admin_client, document, name="Signed copy (final).pdf")
    assert r.status_code == 302
    stored = Agreement.objects.get().document
    assert re.fullmatch(r"agreements/[0-9a-f]{32}\.pdf", stored.name)
    with stored.open("rb") as file:
        assert file.read() == document


def test_it_refuses_an_encrypted_pdf(admin_client, media_root):
    r = post_document(admin_client, pdf_bytes(password="secret"))
    assert r.status_code == 200
    assert (
        "The PDF document is encrypted. Upload a copy without a password or restrictions."
    ) in errors_of(r)
    assert not Agreement.objects.exists()


def test_it_refuses_a_pdf_without_pages(admin_client, media_root):
    r = post_document(admin_client, pdf_bytes(pages=0))
    assert r.status_code == 200
    assert "The PDF document has no pages." in errors_of(r)
    assert not Agreement.objects.exists()


def test_it_refuses_a_pdf_over_20_megabytes(admin_client, media_root):
    r = post_document(admin_client, pdf_bytes() + b"\0" * (20 * 1024 * 1024))
    assert r.status_code == 200
    assert "The file is too large (at most 20.0\xa0MB)." in errors_of(r)
    assert not Agreement.objects.exists()


def test_it_states_the_document_limit_on_the_form(admin_client):
    r = admin_client.get(admin_url(Agreement, "add"))
    assert "A PDF document of at most 20 MB." in r.content.decode()


def test_it_saves_an_agreement_whose_document_file_is_missing(admin_client, media_root):
    agreement = AgreementFactory(document=ContentFile(pdf_bytes(), name="old.pdf"))
    (media_root / agreement.document.name).unlink()
    data = agreement_data(partnership=agreement.partnership, title_en="Renamed")
    r = admin_client.post(admin_url(Agreement, "change", agreement.pk), data)
    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"


def test_it_refuses_meeting_minutes_that_only_start_like_a_pdf(admin_client, media_root):
    minutes = upload(FAKE_PDF, "minutes.pdf", "application/pdf")
    data = working_group_data(
        partnership=PartnershipFactory(),
        meetings=1,
        **{"meetings-0-held_on": "2025-03-04", "meetings-0-minutes": minutes},
    )
    r = admin_client.post(admin_url(WorkingGroup, "add"), data)
    assert r.status_code == 200
    assert "The file is not a PDF document." in errors_of(r)
    assert not WorkingGroup.objects.exists()


def test_it_removes_an_emblem_when_clear_is_ticked(admin_client, media_root):
    region = RegionFactory(emblem=ContentFile(image_bytes("PNG"), name="old.png"))
    data = region_data(slug=region.slug, country=str(region.country), **{"emblem-clear": "on"})
    r = admin_client.post(admin_url(Region, "change", region.pk), data)
    assert r.status_code == 302
    region.refresh_from_db()
    assert not region.emblem
