"""The project's own middleware: health checks, read-only public pages, the page cache,
Content-Security-Policy.

Their places in settings.MIDDLEWARE matter; each class says where it must sit and why.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import reverse

from . import page_cache, views

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


class PageCacheMiddleware:
    """Answer anonymous visitors' public pages from the shared cache (portal.page_cache).

    After SecurityMiddleware, so that a cached page still gets the HTTPS redirect and its
    headers; after WhiteNoise, which static files never get past; before sessions, locale,
    authentication and every other middleware, whose work is in the stored response, so that
    a cached page costs no query and almost no time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.is_public_page(request):
            return self.get_response(request)
        if not page_cache.is_anonymous(request):
            response = self.get_response(request)
            page_cache.vary_on_cookie(response)
            return response
        return page_cache.serve(request, self.get_response)


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
