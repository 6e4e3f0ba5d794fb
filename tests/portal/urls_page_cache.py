"""The site's URLs, with public pages that do what no page of the site does yet: carry a CSRF
token, show a message to a visitor, refuse to be cached, answer 403."""

from uuid import uuid4

from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from portal.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    "<form>{% csrf_token %}</form>{% for message in messages %}<p>{{ message }}</p>{% endfor %}"
)


def form(request):
    return HttpResponse(PAGE.render(request=request))


def message(request):
    # The message depends on what the visitor did, not on the URL.
    if "X-Save" in request.headers:
        messages.info(request, "Your search was saved.")
    return HttpResponse(PAGE.render(request=request))


@never_cache
def never_cached(request):
    return HttpResponse(str(uuid4()))


def forbidden(request):
    return HttpResponse(str(uuid4()), status=403)


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(
        path("test/form/", form),
        path("test/message/", message),
        path("test/never-cached/", never_cached),
        path("test/forbidden/", forbidden),
    ),
]
