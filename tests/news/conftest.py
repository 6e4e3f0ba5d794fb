import pytest

from tests.staff import staff_client


@pytest.fixture
def editor(django_user_model):
    """A client logged in as an editor: writes, may not publish."""
    return staff_client(django_user_model, "editor")


@pytest.fixture
def publisher(django_user_model):
    return staff_client(django_user_model, "publisher")
