import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever the previous one activated."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no download slot that another test left taken.

    With REDIS_URL set this empties that Redis database: CI gives the tests one of their own.
    """
    cache.clear()
    yield


@pytest.fixture
def admin_client(client, django_user_model):
    """Log a superuser in; without a password, so that no test pays for hashing one.

    Overrides pytest-django's fixture of the same name, which hashes a password each time.
    """
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", None)
    client.force_login(user)
    return client
