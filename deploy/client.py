"""A visitor of a running portal over HTTP, as a browser would be: cookies, forms, the admin.

tests/portal/test_cluster.py and bench/cluster.py use it to save an edit in the admin of one
app server and read the public page through another, with nothing but the standard library.
"""

import http.client
import time
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

SKIPPED_INPUTS = ("submit", "button", "image", "reset", "file")


@dataclass
class Response:
    status: int
    headers: Message
    text: str
    seconds: float


class Visitor:
    """Requests to one server, keeping its cookies; redirects are returned, not followed."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies = {}

    def get(self, path):
        return self._request("GET", path)

    def post(self, path, fields):
        body = urlencode(fields).encode()
        return self._request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def _request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text, seconds)


class FormParser(HTMLParser):
    """Collect what a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None  # [name, multiple, options, selected]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs or not (attrs.get("name") or tag == "option"):
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select = [attrs["name"], "multiple" in attrs, [], []]
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        if kind in SKIPPED_INPUTS or (kind in ("checkbox", "radio") and "checked" not in attrs):
            return
        self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            # A browser drops the newline that follows <textarea>, as Django's widget writes it.
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options, selected = self.select
            if not selected and not multiple and options:
                selected = options[:1]  # a browser submits the first option
            self.fields.extend((name, value) for value in selected)
            self.select = None


def form_fields(html, form_id):
    """Return the (name, value) pairs a browser would submit from the form `form_id`."""
    parser = FormParser(form_id)
    parser.feed(html)
    parser.close()
    if not parser.fields:
        raise ValueError(f"No form with id {form_id!r} and fields in the page")
    return parser.fields


def admin_login(visitor, *, username, password):
    """Log in to the admin as a browser does: the login page's CSRF token, then the form."""
    page = visitor.get("/admin/login/?next=/admin/")
    fields = dict(form_fields(page.text, "login-form"))
    fields.update(username=username, password=password)
    response = visitor.post("/admin/login/?next=/admin/", fields)
    if response.status != 302:
        raise AssertionError(f"The admin login answered {response.status}, not a redirect")
    return response


def admin_edit(visitor, change_url, changes):
    """Open an admin change form, change some of its fields and save it; return the response.

    The other fields go back as the form showed them, the edit-conflict token among them.
    """
    page = visitor.get(change_url)
    if page.status != 200:
        raise AssertionError(f"{change_url} answered {page.status}")
    form_id = f"{change_url.rstrip('/').split('/')[-3]}_form"  # /admin/app/model/pk/change/
    fields = [(name, changes.get(name, value)) for name, value in form_fields(page.text, form_id)]
    response = visitor.post(change_url, fields)
    if response.status != 302:
        raise AssertionError(f"Saving {change_url} answered {response.status}, not a redirect")
    return response
