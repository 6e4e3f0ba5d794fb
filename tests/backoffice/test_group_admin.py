"""The group admin: roles are the groups backoffice.roles defines; only a superuser changes one."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from backoffice.roles import ROLES_BY_CODE
from tests.staff import staff_client

pytestmark = pytest.mark.django_db


def group_data(name, permissions):
    return {"name": name, "permissions": [str(p.pk) for p in permissions]}


def post(client, url, data):
    """POST with a CSRF token taken from the admin index, since the refused form has none."""
    index = client.get(reverse("admin:index"))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', index.content)
    return client.post(url, {**data, "csrfmiddlewaretoken": token.group(1).decode()})


def permission_names(group):
    permissions = group.permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


@pytest.fixture
def administrator(django_user_model):
    return staff_client(django_user_model, "administrator")


@pytest.fixture
def group_keeper(django_user_model):
    """A staff member given every group permission directly, as a careless superuser might."""
    user = django_user_model.objects.create_user("keeper", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__model="group"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_it_lets_an_administrator_see_what_each_role_holds(administrator):
    editors = Group.objects.get(name="editor")
    assert administrator.get(reverse("admin:auth_group_changelist")).status_code == 200
    page = administrator.get(reverse("admin:auth_group_change", args=(editors.pk,)))
    assert page.status_code == 200
    assert b"Can add article" in page.content
    assert b'name="_save"' not in page.content


@pytest.mark.parametrize("staff", ["administrator", "group_keeper"])
def test_it_refuses_to_add_a_group_for_anyone_but_a_superuser(request, staff):
    client = request.getfixturevalue(staff)
    url = reverse("admin:auth_group_add")
    data = group_data("everything", Permission.objects.all())
    assert client.get(url).status_code == 403
    assert post(client, url, data).status_code == 403
    assert not Group.objects.filter(name="everything").exists()


@pytest.mark.parametrize("staff", ["administrator", "group_keeper"])
def test_it_refuses_to_change_a_role_for_anyone_but_a_superuser(request, staff):
    client = request.getfixturevalue(staff)
    editors = Group.objects.get(name="editor")
    url = reverse("admin:auth_group_change", args=(editors.pk,))
    response = post(client, url, group_data("editor", Permission.objects.all()))
    assert response.status_code == 403
    assert permission_names(editors) == set(ROLES_BY_CODE["editor"].permissions)


@pytest.mark.parametrize("staff", ["administrator", "group_keeper"])
def test_it_refuses_to_delete_a_group_for_anyone_but_a_superuser(request, staff):
    client = request.getfixturevalue(staff)
    publishers = Group.objects.get(name="publisher")
    url = reverse("admin:auth_group_delete", args=(publishers.pk,))
    assert post(client, url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auth_group_changelist")
    data = {"action": "delete_selected", "_selected_action": [publishers.pk], "post": "yes"}
    post(client, changelist, data)
    assert Group.objects.filter(pk=publishers.pk).exists()


def test_it_lets_a_superuser_add_change_and_delete_a_group(admin_client):
    add = reverse("admin:auth_group_add")
    view_article = Permission.objects.filter(codename="view_article")
    assert admin_client.post(add, group_data("readers", view_article)).status_code == 302
    readers = Group.objects.get(name="readers")
    change = reverse("admin:auth_group_change", args=(readers.pk,))
    publish = Permission.objects.filter(codename__in=("view_article", "publish_article"))
    assert admin_client.post(change, group_data("readers", publish)).status_code == 302
    assert permission_names(readers) == {"news.view_article", "news.publish_article"}
    delete = reverse("admin:auth_group_delete", args=(readers.pk,))
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Group.objects.filter(name="readers").exists()
