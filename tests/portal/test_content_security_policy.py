import pytest
from django.urls import reverse

from portal import views
from portal.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


@pytest.mark.parametrize("url", ["/en/", "/ko/agreements/", "/zh-hans/news/", "/en/search/?q=x"])
def test_it_allows_only_our_own_scripts_on_public_pages(client, url):
    policy = directives(client.get(url))

    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_it_gives_the_admin_a_policy_without_inline_or_eval_scripts(admin_client):
    policy = directives(admin_client.get(reverse("admin:index")))

    assert policy["script-src"] == "'self'"
    assert "unsafe" not in policy["script-src"]
    assert policy["object-src"] == "'none'"


def test_it_lets_the_error_page_use_its_own_styles_and_nothing_else(rf):
    request = rf.get("/en/")
    response = ContentSecurityPolicyMiddleware(views.server_error)(request)
    policy = directives(response)

    assert response.status_code == 500
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
