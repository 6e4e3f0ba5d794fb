"""Clients for staff in a role, posting forms the way a browser does (with the CSRF token)."""

import re

from django.contrib.auth.models import Group
from django.test import Client


def staff_client(django_user_model, role):
    """Return a client that enforces CSRF, logged in as a member of the role's group."""
    user = django_user_model.objects.create_user(f"{role}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client, url, data):
    """GET the form, then POST `data` with the token the form carried."""
    page = client.get(url)
    assert page.status_code == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    return client.post(url, {**data, "csrfmiddlewaretoken": token.group(1).decode()})
