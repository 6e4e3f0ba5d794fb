"""Staff roles: the groups a migration creates and keeps in step, and what each may do."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from backoffice.roles import ROLES, ROLES_BY_CODE
from relations.models import Agreement
from tests.factories import AgreementFactory
from tests.relations.admin_posts import agreement_data
from tests.staff import csrf_post, staff_client

pytestmark = pytest.mark.django_db


def permissions_of(code):
    permissions = Group.objects.get(name=code).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_it_creates_a_group_per_role_with_exactly_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES_BY_CODE)
    for role in ROLES:
        assert permissions_of(role.code) == set(role.permissions)


def test_it_keeps_publishing_from_editors():
    assert "news.publish_article" not in permissions_of("editor")
    assert "news.delete_article" not in permissions_of("editor")
    assert {"news.publish_article", "news.delete_article"} <= permissions_of("publisher")


def test_it_puts_the_groups_back_in_step_on_migrate():
    editors = Group.objects.get(name="editor")
    editors.permissions.remove(Permission.objects.get(codename="add_article"))
    editors.permissions.add(Permission.objects.get(codename="publish_article"))
    call_command("migrate", verbosity=0)
    assert permissions_of("editor") == set(ROLES_BY_CODE["editor"].permissions)


def test_it_recreates_a_deleted_group_on_migrate():
    Group.objects.filter(name="records_officer").delete()
    call_command("migrate", verbosity=0)
    assert permissions_of("records_officer") == set(ROLES_BY_CODE["records_officer"].permissions)


def test_it_lets_administrators_only_see_groups():
    administrator = permissions_of("administrator")
    assert "auth.view_group" in administrator
    assert not {"auth.add_group", "auth.change_group", "auth.delete_group"} & administrator


def test_it_lets_a_records_officer_edit_an_agreement(django_user_model):
    client = staff_client(django_user_model, "records_officer")
    agreement = AgreementFactory(title_en="Old title")
    url = reverse("admin:relations_agreement_change", args=(agreement.pk,))
    data = agreement_data(partnership=agreement.partnership, title_en="New title")
    assert csrf_post(client, url, data).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).title_en == "New title"


def test_it_keeps_a_records_officer_out_of_news_and_users(django_user_model):
    client = staff_client(django_user_model, "records_officer")
    assert client.get(reverse("admin:news_article_add")).status_code == 403
    assert client.get(reverse("admin:news_article_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_it_keeps_an_editor_out_of_the_registry_and_users(django_user_model):
    client = staff_client(django_user_model, "editor")
    assert client.get(reverse("admin:relations_agreement_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_it_lets_an_administrator_manage_users(django_user_model):
    client = staff_client(django_user_model, "administrator")
    data = {
        "username": "carol",
        "usable_password": "true",
        "password1": "a long pass phrase",
        "password2": "a long pass phrase",
    }
    assert csrf_post(client, reverse("admin:auth_user_add"), data).status_code == 302
    carol = django_user_model.objects.get(username="carol")
    url = reverse("admin:auth_user_change", args=(carol.pk,))
    page = client.get(url)
    assert page.status_code == 200
    assert client.get(reverse("admin:news_article_add")).status_code == 403
