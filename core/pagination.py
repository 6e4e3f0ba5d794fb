"""Pages of the public lists."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def page_or_404(request, queryset, per_page):
    """Return the page that `?page=` asks for; a page that does not exist is a 404, never a 500."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
