"""The project's own middleware: health checks, read-only public pages, Content-Security-Policy.

Their places in settings.MIDDLEWARE matter; each class says where it must sit and why.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import reverse

from . import views

SAFE_METHODS = ("GET", "HEAD")


def admin_prefix():
    return reverse("admin:index")


class HealthCheckMiddleware:
    """Answer /healthz before anything asks for the host, so a probe by IP address works.

    First in MIDDLEWARE: CommonMiddleware and the CSRF check validate the Host header against
    ALLOWED_HOSTS, and a load balancer probing a node at its address would get 400.
    The answer only says whether the database answers, so it is safe for any host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return views.healthz(request)
        return self.get_response(request)


class ReadOnlyPublicSiteMiddleware:
    """Answer 405 to any method but GET and HEAD outside the admin, without reading the body.

    Before the CSRF check, which reads a POST body to look for its token: a 50 MB POST to a
    list page is refused unread. Only the admin takes forms and uploads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS and not request.path_info.startswith(admin_prefix()):
            return HttpResponseNotAllowed(SAFE_METHODS)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy (ADMIN_CONTENT_SECURITY_POLICY)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            parts.config is None
            and not report_only
            and request.path_info.startswith(admin_prefix())
        ):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
