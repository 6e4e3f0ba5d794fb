import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "correct horse battery staple"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Every attempt checks a password: a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("jiwoo", password=PASSWORD, is_staff=True)


def _log_in(client, password, address="203.0.113.7", username="jiwoo"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _fail_five_times(client, address="203.0.113.7"):
    for _attempt in range(5):
        _log_in(client, "wrong password", address)


def test_it_refuses_the_right_password_after_five_wrong_ones(client, staff):
    with time_machine.travel(START, tick=False):
        _fail_five_times(client)
        r = _log_in(client, PASSWORD)
        user_id = client.session.get("_auth_user_id")

    assert r.status_code == 429
    assert "Too many failed login attempts" in r.content.decode()
    assert "refused for 15 minutes" in r.content.decode()
    assert user_id is None


def test_it_still_accepts_four_wrong_passwords(client, staff):
    with time_machine.travel(START, tick=False):
        for _attempt in range(4):
            _log_in(client, "wrong password")
        r = _log_in(client, PASSWORD)
        # Read while the clock is still frozen: the session expires 8 hours later.
        user_id = client.session.get("_auth_user_id")

    assert r.status_code == 302
    assert user_id == str(staff.pk)


def test_it_lets_the_user_in_after_fifteen_minutes(client, staff):
    with time_machine.travel(START, tick=False) as traveller:
        _fail_five_times(client)
        traveller.shift(datetime.timedelta(minutes=14))
        assert _log_in(client, PASSWORD).status_code == 429

        # The refused attempt restarted the wait.
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        r = _log_in(client, PASSWORD)
        # Read while the clock is still frozen: the session expires 8 hours later.
        user_id = client.session.get("_auth_user_id")

    assert r.status_code == 302
    assert user_id == str(staff.pk)


def test_it_does_not_lock_the_account_out_from_another_address(client, staff):
    with time_machine.travel(START, tick=False):
        _fail_five_times(client, address="203.0.113.7")
        r = _log_in(client, PASSWORD, address="198.51.100.23")
        user_id = client.session.get("_auth_user_id")

    assert r.status_code == 302
    assert user_id == str(staff.pk)


def test_it_forgets_failures_after_a_successful_login(client, staff):
    with time_machine.travel(START, tick=False):
        for _attempt in range(4):
            _log_in(client, "wrong password")
        assert _log_in(client, PASSWORD).status_code == 302
        client.logout()
        for _attempt in range(4):
            _log_in(client, "wrong password")
        r = _log_in(client, PASSWORD)

    assert r.status_code == 302


def test_it_explains_the_lockout_in_the_visitors_language(client, staff):
    with time_machine.travel(START, tick=False):
        _fail_five_times(client)
        r = client.post(
            reverse("admin:login"),
            {"username": "jiwoo", "password": PASSWORD},
            REMOTE_ADDR="203.0.113.7",
            HTTP_ACCEPT_LANGUAGE="ko",
        )

    assert r.status_code == 429
    assert '<html lang="ko"' in r.content.decode()
    assert 'id="lockout-message"' in r.content.decode()


def test_it_ends_a_session_after_a_working_day_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    # Renewed on every request: the 8 hours count from the last activity, not the login.
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_it_expires_an_idle_staff_session(client, staff):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(staff)
        traveller.shift(datetime.timedelta(hours=7))
        assert client.get(reverse("admin:index")).status_code == 200

        # Seven hours after the last request, not the login: still in.
        traveller.shift(datetime.timedelta(hours=7))
        assert client.get(reverse("admin:index")).status_code == 200

        traveller.shift(datetime.timedelta(hours=8, seconds=1))
        r = client.get(reverse("admin:index"))

    assert r.status_code == 302
    assert r.url.startswith(reverse("admin:login"))


def test_it_checks_lockouts_before_any_other_backend():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_it_locks_out_a_client_behind_our_proxy_whatever_it_forges(client, staff, settings):
    """Rotating forged X-Forwarded-For entries does not reset the count behind one proxy.

    The forged entries are public addresses and the real one is not: a resolver that prefers
    public addresses (django-ipware's) takes the forged one and never locks the client out.
    """
    settings.PROXY_COUNT = 1
    with time_machine.travel(START, tick=False):
        for attempt in range(5):
            _log_in_through_proxy(client, "wrong password", forged=f"8.8.8.{attempt}")
        r = _log_in_through_proxy(client, PASSWORD, forged="8.8.4.4")

    assert r.status_code == 429


def test_it_ignores_x_forwarded_for_without_a_configured_proxy(client, staff, settings):
    settings.PROXY_COUNT = 0
    with time_machine.travel(START, tick=False):
        for attempt in range(5):
            client.post(
                reverse("admin:login"),
                {"username": "jiwoo", "password": "wrong", "next": "/admin/"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
                REMOTE_ADDR="203.0.113.7",
            )
        r = _log_in(client, PASSWORD)

    assert r.status_code == 429


def _log_in_through_proxy(client, password, *, forged):
    # The client sends a forged header; our proxy appends the address it saw.
    return client.post(
        reverse("admin:login"),
        {"username": "jiwoo", "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )
