import pytest
from django.core.cache import cache
from django.utils import translation

from core.cache import (
    NOTHING_SCHEDULED,
    content_changed,
    content_generation,
    flush_content_changes,
    remember_horizon,
)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever the previous one activated."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no download slot that another test left taken.

    With REDIS_URL set this empties that Redis database: CI gives the tests one of their own.
    A new content generation starts at once, and is announced, so that no page cached by an
    earlier test matches (portal.page_cache keeps copies in memory). The test database starts
    with no article, so no page needs a query to learn when the next scheduled one appears:
    the page query counts stay the views' own.
    """
    cache.clear()
    content_changed(scheduled_at=None)
    flush_content_changes()  # now, even inside the test's transaction
    remember_horizon(content_generation(), NOTHING_SCHEDULED)
    yield


@pytest.fixture
def admin_client(client, django_user_model):
    """Log a superuser in; without a password, so that no test pays for hashing one.

    Overrides pytest-django's fixture of the same name, which hashes a password each time.
    """
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", None)
    client.force_login(user)
    return client
