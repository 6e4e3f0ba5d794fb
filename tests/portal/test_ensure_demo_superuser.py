import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"^Demo superuser: admin / (\S+) \(shown once\)$", re.MULTILINE)


def ensure():
    out, err = StringIO(), StringIO()
    call_command("ensure_demo_superuser", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_it_creates_a_superuser_and_prints_its_password_once():
    output = ensure()
    password = PASSWORD_LINE.search(output).group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 16


def test_it_creates_nothing_and_prints_no_password_the_second_time():
    first = PASSWORD_LINE.search(ensure()).group(1)
    output = ensure()
    assert "Demo superuser" not in output
    assert first not in output
    assert get_user_model().objects.count() == 1


def test_it_never_uses_the_same_password_twice():
    first = PASSWORD_LINE.search(ensure()).group(1)
    get_user_model().objects.all().delete()
    second = PASSWORD_LINE.search(ensure()).group(1)
    assert first != second


def test_it_does_nothing_when_another_superuser_exists():
    get_user_model().objects.create_superuser("alice", "", "correct horse battery")
    output = ensure()
    assert "Demo superuser" not in output
    assert not get_user_model().objects.filter(username="admin").exists()


def test_it_never_promotes_an_ordinary_user_called_admin():
    get_user_model().objects.create_user("admin", "", "an ordinary password")
    output = ensure()
    assert "createsuperuser" in output
    assert not get_user_model().objects.get(username="admin").is_superuser
