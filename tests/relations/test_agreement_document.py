import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from tests.factories import AgreementFactory
from tests.uploads import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def document():
    return pdf_bytes(pages=2)


@pytest.fixture
def signed(media_root, document):
    return AgreementFactory(
        title_en="Sisterhood Agreement",
        title_ko="자매결연 협정",
        document=ContentFile(document, name="signed.pdf"),
    )


def _url(agreement, language="en"):
    with translation.override(language):
        return reverse("relations:agreement_document", kwargs={"pk": agreement.pk})


def test_it_sends_the_document_as_an_attachment(client, signed, document):
    r = client.get(_url(signed))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="sisterhood-agreement.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Length"] == str(len(document))
    assert b"".join(r.streaming_content) == document


def test_it_names_the_download_by_the_title_in_the_visitors_language(client, signed):
    r = client.get(_url(signed, "ko"))
    assert r["Content-Disposition"] == (
        "attachment; filename*=utf-8''%EC%9E%90%EB%A7%A4%EA%B2%B0%EC%97%B0-%ED%98%91%EC%A0%95.pdf"
    )


def test_it_answers_head(client, signed):
    r = client.head(_url(signed))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")


def test_it_refuses_post(client, signed):
    assert client.post(_url(signed)).status_code == 405


def test_it_is_not_found_without_a_document(client):
    assert client.get(_url(AgreementFactory())).status_code == 404


def test_it_is_not_found_for_an_unknown_agreement(client):
    assert client.get(reverse("relations:agreement_document", kwargs={"pk": 999})).status_code == (
        404
    )


def test_it_is_not_found_when_the_file_is_missing(client, signed, media_root):
    (media_root / signed.document.name).unlink()
    assert client.get(_url(signed)).status_code == 404


def test_the_agreement_page_links_to_the_download_not_to_media(client, signed):
    with translation.override("en"):
        r = client.get(signed.get_absolute_url())
    page = r.content.decode()
    assert f'href="{_url(signed)}"' in page
    assert "/media/" not in page
