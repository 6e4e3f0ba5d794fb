"""Staff roles: the groups a migration creates and keeps in step, and what each may do."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from portal.roles import ROLES, ROLES_BY_CODE
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


def test_it_keeps_an_administrator_from_raising_itself_to_superuser(django_user_model):
    client = staff_client(django_user_model, "administrator")
    me = django_user_model.objects.get(username="administrator-user")
    url = reverse("admin:auth_user_change", args=[me.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if key in ("username", "first_name", "last_name", "email")
    }
    data.update(
        is_active="on",
        is_staff="on",
        is_superuser="on",
        groups=[Group.objects.get(name="administrator").pk],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="09:00:00",
    )

    response = csrf_post(client, url, data)

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.is_staff
    assert not me.is_superuser


def test_it_hides_superusers_from_an_administrator(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", None)
    client = staff_client(django_user_model, "administrator")

    changelist = client.get(reverse("admin:auth_user_changelist"))
    change = client.get(reverse("admin:auth_user_change", args=[boss.pk]))

    assert changelist.status_code == 200
    assert b"boss@example.org" not in changelist.content
    assert change.status_code == 302  # the admin redirects a missing object to its index
    password = client.get(reverse("admin:auth_user_password_change", args=[boss.pk]))
    assert password.status_code == 404
