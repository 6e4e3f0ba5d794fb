"""Reading public pages in tests: how many queries a page runs, what a sitemap page lists."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """Return the number of queries a GET of the page runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def sitemap_entries(xml):
    """Return {location: {hreflang: href}} for every <url> of a sitemap page."""
    entries = {}
    for url in re.findall(r"<url>(.*?)</url>", xml, flags=re.S):
        location = re.search(r"<loc>(.*?)</loc>", url).group(1)
        entries[location] = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', url))
    return entries
