"""`manage.py createstaff USER --role CODE`: create or update a staff account with a role."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def createstaff(*args):
    out = StringIO()
    call_command("createstaff", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_password(output):
    return re.search(r"Password \(shown once\): (\S+)", output).group(1)


def test_it_creates_a_staff_account_with_a_printed_password(django_user_model):
    output = createstaff("alice", "--role", "editor", "--email", "alice@example.org")
    alice = django_user_model.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == ["editor"]
    assert alice.check_password(printed_password(output))


def test_it_takes_the_password_from_the_environment(django_user_model, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long pass phrase")
    output = createstaff("alice", "--role", "publisher", "--password-env", "STAFF_PASSWORD")
    assert "Password" not in output
    assert django_user_model.objects.get(username="alice").check_password("a long pass phrase")


@pytest.mark.parametrize("value", [None, ""])
def test_it_refuses_an_unset_or_empty_password_variable(django_user_model, monkeypatch, value):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    if value is not None:
        monkeypatch.setenv("STAFF_PASSWORD", value)
    with pytest.raises(CommandError, match="STAFF_PASSWORD is unset or empty"):
        createstaff("alice", "--role", "editor", "--password-env", "STAFF_PASSWORD")
    assert not django_user_model.objects.exists()


def test_it_refuses_a_password_the_validators_reject(django_user_model, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "1234")
    with pytest.raises(CommandError) as error:
        createstaff("alice", "--role", "editor", "--password-env", "STAFF_PASSWORD")
    assert "too short" in str(error.value)
    assert "entirely numeric" in str(error.value)
    assert not django_user_model.objects.exists()


def test_it_refuses_an_unknown_role_and_lists_the_roles(django_user_model):
    with pytest.raises(CommandError) as error:
        createstaff("alice", "--role", "chief")
    message = str(error.value)
    assert "'chief'" in message
    for code in ("editor", "publisher", "records_officer", "administrator"):
        assert code in message
    assert not django_user_model.objects.exists()


def test_it_adds_a_role_to_an_existing_account_and_keeps_its_password(django_user_model):
    user = django_user_model.objects.create_user("alice", password="a long pass phrase")
    user.groups.add(Group.objects.get(name="records_officer"))
    output = createstaff("alice", "--role", "editor")
    assert "Updated" in output and "Password" not in output
    user.refresh_from_db()
    assert user.is_staff
    assert user.check_password("a long pass phrase")
    assert set(user.groups.values_list("name", flat=True)) == {"editor", "records_officer"}


def test_it_resets_an_existing_accounts_password_when_asked(django_user_model):
    user = django_user_model.objects.create_user("alice", password="a long pass phrase")
    output = createstaff("alice", "--role", "editor", "--reset-password")
    user.refresh_from_db()
    assert user.check_password(printed_password(output))


def test_it_is_idempotent(django_user_model):
    createstaff("alice", "--role", "editor")
    createstaff("alice", "--role", "editor")
    alice = django_user_model.objects.get(username="alice")
    assert alice.groups.count() == 1


def test_it_refuses_a_bad_email(django_user_model):
    with pytest.raises(CommandError, match="valid email"):
        createstaff("alice", "--role", "editor", "--email", "not-an-address")
    assert not django_user_model.objects.exists()
