"""The admin's import, driven through the real views with CSRF checks on."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from relations.importing import MAX_BYTES, agreement_import
from relations.models import Agreement, CooperationField
from tests.factories import AgreementFactory
from tests.relations.admin_posts import admin_url
from tests.relations.helpers_import import (
    World,
    agreement_row,
    agreements_1_and_10,
    csv_bytes,
    refused_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "var" / "imports"


def staff_client(django_user_model, *codenames):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def clerk(django_user_model):
    return staff_client(django_user_model, "add_agreement", "change_agreement", "view_agreement")


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def upload(client, data, name="agreements.csv"):
    """Post the file through the upload form; return the response."""
    form = client.get(admin_url(Agreement, "import"))
    assert form.status_code == 200
    return client.post(
        admin_url(Agreement, "import"),
        {"csrfmiddlewaretoken": csrf_token(form), "file": SimpleUploadedFile(name, data)},
    )


def test_it_offers_the_import_on_the_change_list(clerk):
    response = clerk.get(admin_url(Agreement, "changelist"))

    assert response.status_code == 200
    assert admin_url(Agreement, "import") in response.text
    assert "Import CSV" in response.text


def test_it_hides_the_import_from_those_who_cannot_change_agreements(django_user_model):
    client = staff_client(django_user_model, "view_agreement")

    response = client.get(admin_url(Agreement, "changelist"))

    assert response.status_code == 200
    assert "Import CSV" not in response.text


def test_it_uploads_previews_and_confirms(world, clerk, imports_dir):
    data = csv_bytes([agreement_row(), agreement_row(title="Second agreement")])

    response = upload(clerk, data)

    assert response.status_code == 302
    (stored,) = imports_dir.iterdir()
    assert stored.read_bytes() == data
    assert not (imports_dir.parent.parent / "media").exists()
    preview = clerk.get(response.url)
    assert preview.status_code == 200
    assert "This file creates 2 agreements, changes 0 and leaves 0 unchanged." in preview.text
    assert "Second agreement" in preview.text
    assert Agreement.objects.count() == 0

    confirmed = clerk.post(response.url, {"csrfmiddlewaretoken": csrf_token(preview)})

    assert confirmed.status_code == 302
    assert confirmed.url == admin_url(Agreement, "changelist")
    assert Agreement.objects.count() == 2
    assert [str(m) for m in get_messages(confirmed.wsgi_request)] == [
        "The import is done: 2 agreements created, 0 updated, 0 unchanged."
    ]
    assert list(imports_dir.iterdir()) == []


def test_it_previews_each_change_of_an_update(world, clerk, imports_dir):
    agreement = Agreement.objects.create(
        partnership=world.partnership, kind="mou", title_en="Memorandum", status="in_force"
    )
    row = {"id": str(agreement.pk), "status": "Expired"}

    preview = clerk.get(upload(clerk, csv_bytes([row], columns=("id", "status"))).url)

    assert re.search(r"<td>Status</td>\s*<td>In force</td>\s*<td>Expired</td>", preview.text)


def test_it_refuses_a_confirmation_without_the_csrf_token(world, clerk, imports_dir):
    response = upload(clerk, csv_bytes([agreement_row()]))

    assert clerk.post(response.url).status_code == 403
    assert Agreement.objects.count() == 0


def test_it_lists_every_error_and_offers_no_confirmation(world, clerk, imports_dir):
    rows = [agreement_row(kind="Treaty"), agreement_row(), agreement_row(partner_region="Mu")]

    preview = clerk.get(upload(clerk, csv_bytes(rows)).url)

    assert "The file has 2 errors. Nothing has been written" in preview.text
    assert "Treaty" in preview.text and "Mu" in preview.text
    assert 'value="Import"' not in preview.text


def test_it_names_the_encoding_of_a_file_that_is_not_utf8(world, clerk, imports_dir):
    data = csv_bytes(
        [agreement_row(title="자매결연 협정")], language="ko", encoding="cp949", bom=False
    )

    preview = clerk.get(upload(clerk, data, name="협정.csv").url)

    assert preview.status_code == 200
    assert "CP949 (Korean Windows)" in preview.text


def test_it_checks_the_file_again_when_confirmed(world, clerk, imports_dir):
    response = upload(clerk, csv_bytes([agreement_row()]))
    preview = clerk.get(response.url)
    CooperationField.objects.filter(slug="tourism").delete()

    confirmed = clerk.post(response.url, {"csrfmiddlewaretoken": csrf_token(preview)})

    assert confirmed.status_code == 200
    assert "Unknown field" in confirmed.text
    assert Agreement.objects.count() == 0


def test_it_refuses_a_file_over_the_limit_at_upload(world, clerk, imports_dir):
    response = upload(clerk, b"a" * (MAX_BYTES + 1))

    assert response.status_code == 200
    assert "larger than 10.0" in response.text
    assert not imports_dir.exists() or list(imports_dir.iterdir()) == []


def test_it_keeps_an_upload_to_the_session_that_made_it(
    world, clerk, imports_dir, django_user_model
):
    response = upload(clerk, csv_bytes([agreement_row()]))
    other = django_user_model.objects.create_superuser("boss", "boss@example.org", None)
    client = Client()
    client.force_login(other)

    assert client.get(response.url).status_code == 404


@pytest.mark.parametrize(
    "codenames", [("view_agreement",), ("view_agreement", "add_agreement")], ids=str
)
def test_it_forbids_the_import_without_add_and_change_permission(
    world, django_user_model, imports_dir, codenames
):
    client = staff_client(django_user_model, *codenames)

    assert client.get(admin_url(Agreement, "import")).status_code == 403
    # With a valid CSRF token, so that the 403 is the permission check's.
    token = csrf_token(client.get(admin_url(Agreement, "changelist")))
    response = client.post(
        admin_url(Agreement, "import"),
        {
            "csrfmiddlewaretoken": token,
            "file": SimpleUploadedFile("a.csv", csv_bytes([agreement_row()])),
        },
    )
    assert response.status_code == 403
    assert not imports_dir.exists()


def preview_and_confirm(client, data):
    """Upload the file, look at its preview and confirm it; return both responses."""
    url = upload(client, data).url
    preview = client.get(url)
    return preview, client.post(url, {"csrfmiddlewaretoken": csrf_token(preview)})


@pytest.mark.parametrize("name", list(refused_files()))
def test_its_preview_shows_every_error_the_confirmation_finds(world, clerk, imports_dir, name):
    agreements_1_and_10(world)
    data, error = refused_files()[name]

    preview, confirmed = preview_and_confirm(clerk, data)

    for response in (preview, confirmed):
        assert response.status_code == 200
        assert [str(problem) for problem in response.context["report"].errors] == [error]
    assert 'value="Import"' not in preview.text
    assert sorted(Agreement.objects.values_list("pk", "title_en")) == [
        (1, "Agreement 1"),
        (10, "Agreement 10"),
    ]


def test_it_reports_the_database_refusing_a_confirmed_import(
    world, clerk, imports_dir, monkeypatch
):
    def racing_import(**kwargs):
        # Someone creates agreement 500 between the preview and the confirmation.
        kwargs["progress"] = lambda done, total: AgreementFactory(pk=500)
        return agreement_import(**kwargs)

    url = upload(clerk, csv_bytes([agreement_row(id="500", title="Ours")])).url
    preview = clerk.get(url)
    monkeypatch.setattr("relations.admin_import.agreement_import", racing_import)

    confirmed = clerk.post(url, {"csrfmiddlewaretoken": csrf_token(preview)})

    assert confirmed.status_code == 200
    assert "The database refused the import, so nothing was written:" in confirmed.text
    assert not Agreement.objects.filter(title_en="Ours").exists()


def test_it_keeps_an_apostrophe_that_guards_no_formula(world, clerk, imports_dir):
    data = csv_bytes([agreement_row(title="'Tis the season", signatories="")], guard=False)

    preview, confirmed = preview_and_confirm(clerk, data)

    assert preview.context["report"].planned[0].title == "'Tis the season"
    assert confirmed.status_code == 302
    assert Agreement.objects.get().title_en == "'Tis the season"
