"""The user admin: an administrator gives staff the defined roles, and nothing more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.staff import csrf_post, staff_client

pytestmark = pytest.mark.django_db


def group_ids(*names):
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def change_data(user, **changes):
    """Return the POST that saves a user's change form, with `changes` on top."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    return {**data, **changes}


def change_url(user):
    return reverse("admin:auth_user_change", args=(user.pk,))


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def administrator(django_user_model):
    return staff_client(django_user_model, "administrator")


@pytest.fixture
def carol(django_user_model):
    return django_user_model.objects.create_user("carol", is_staff=True)


def test_it_lets_an_administrator_give_a_user_a_role(administrator, carol):
    response = csrf_post(
        administrator, change_url(carol), change_data(carol, groups=group_ids("editor"))
    )
    assert response.status_code == 302
    assert group_names(carol) == {"editor"}


def test_it_offers_an_administrator_only_the_roles(administrator, carol):
    Group.objects.create(name="everything")
    page = administrator.get(change_url(carol))
    offered = page.context["adminform"].form.fields["groups"].queryset
    assert set(offered.values_list("name", flat=True)) == {
        "editor",
        "publisher",
        "records_officer",
        "administrator",
    }


def test_it_refuses_a_group_that_is_not_a_role_from_an_administrator(administrator, carol):
    everything = Group.objects.create(name="everything")
    everything.permissions.set(Permission.objects.all())
    data = change_data(carol, groups=[*group_ids("editor"), str(everything.pk)])
    response = csrf_post(administrator, change_url(carol), data)
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert group_names(carol) == set()


def test_it_keeps_the_groups_a_superuser_gave_when_an_administrator_saves(administrator, carol):
    carol.groups.add(Group.objects.create(name="auditors"))
    data = change_data(carol, groups=group_ids("editor"))
    assert csrf_post(administrator, change_url(carol), data).status_code == 302
    assert group_names(carol) == {"auditors", "editor"}


def test_it_ignores_permissions_an_administrator_posts(administrator, carol):
    publish = Permission.objects.filter(codename__in=("publish_article", "delete_accesslog"))
    data = change_data(carol, user_permissions=[str(p.pk) for p in publish])
    assert csrf_post(administrator, change_url(carol), data).status_code == 302
    assert not carol.user_permissions.exists()


@pytest.mark.parametrize("username", ["carol", "administrator-user"])
def test_it_ignores_a_superuser_flag_an_administrator_posts(
    administrator, carol, django_user_model, username
):
    user = django_user_model.objects.get(username=username)
    data = change_data(user, is_superuser="on")
    assert csrf_post(administrator, change_url(user), data).status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert not user.is_superuser


def test_it_hides_superusers_from_an_administrator(administrator, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", None)

    changelist = administrator.get(reverse("admin:auth_user_changelist"))
    change = administrator.get(change_url(boss))

    assert changelist.status_code == 200
    assert b"boss@example.org" not in changelist.content
    assert change.status_code == 302  # the admin redirects a missing object to its index
    password = administrator.get(reverse("admin:auth_user_password_change", args=[boss.pk]))
    assert password.status_code == 404


def test_it_keeps_an_administrator_from_changing_its_own_roles(administrator, django_user_model):
    me = django_user_model.objects.get(username="administrator-user")
    page = administrator.get(change_url(me))
    assert "groups" not in page.context["adminform"].form.fields
    assert "You cannot change your own roles; another administrator can." in page.content.decode()
    data = change_data(me, groups=group_ids("administrator", "publisher"))
    assert csrf_post(administrator, change_url(me), data).status_code == 302
    assert group_names(me) == {"administrator"}


def test_it_ignores_roles_and_permissions_posted_to_the_add_form(administrator, django_user_model):
    data = {
        "username": "dave",
        "usable_password": "false",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": group_ids("publisher"),
        "user_permissions": [str(Permission.objects.get(codename="publish_article").pk)],
    }
    assert csrf_post(administrator, reverse("admin:auth_user_add"), data).status_code == 302
    dave = django_user_model.objects.get(username="dave")
    assert (dave.is_staff, dave.is_superuser) == (False, False)
    assert not dave.groups.exists()
    assert not dave.user_permissions.exists()


def test_it_lets_a_superuser_give_any_group_and_permission(admin_client, carol):
    everything = Group.objects.create(name="everything")
    publish = Permission.objects.get(codename="publish_article")
    data = change_data(
        carol, groups=[str(everything.pk)], user_permissions=[str(publish.pk)], is_superuser="on"
    )
    assert admin_client.post(change_url(carol), data).status_code == 302
    carol.refresh_from_db()
    assert group_names(carol) == {"everything"}
    assert list(carol.user_permissions.all()) == [publish]
    assert carol.is_superuser
