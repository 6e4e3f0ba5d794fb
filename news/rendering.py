"""Markdown to safe HTML: rendered once when an article is saved, sanitized with nh3."""

import html
import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# Never "style", "id", "class" or an on* handler: no attribute outside this list survives.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just unwrapped: their text is code, not prose.
CLEAN_CONTENT_TAGS = {
    "embed",
    "iframe",
    "math",
    "noscript",
    "object",
    "script",
    "style",
    "svg",
    "template",
}
EXTERNAL_REL = "noopener noreferrer"

# nh3 serializes every attribute as name="value" with quotes, <, > and & escaped, so an
# opening <a> tag of its output is matched exactly by this pattern.
_A_TAG = re.compile(r'<a((?:\s[a-z-]+="[^"]*")*)>')
_HREF = re.compile(r'\shref="([^"]*)"')


class _HeadingLevels(Treeprocessor):
    """Keep headings within h2-h4: the page's title is its only h1."""

    def run(self, root):
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in ("h5", "h6"):
                element.tag = "h4"


class _HeadingLevelsExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 5)


def render_markdown(text):
    """Return sanitized HTML for Markdown text; links to other sites get rel="noopener"."""
    if not text:
        return ""
    html_text = markdown.markdown(
        text,
        extensions=["extra", "sane_lists", _HeadingLevelsExtension()],
        # Alignment as an attribute, since style attributes never pass the sanitizer.
        extension_configs={"extra": {"tables": {"use_align_attribute": True}}},
        output_format="html",
    )
    cleaned = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _A_TAG.sub(_mark_external_link, cleaned).strip()


def _mark_external_link(match):
    href = _HREF.search(match.group(1))
    if href and is_external_url(html.unescape(href.group(1))):
        return f'<a{match.group(1)} rel="{EXTERNAL_REL}">'
    return match.group(0)


def is_external_url(url):
    """Return True if the URL leads to another site than settings.PUBLIC_URL's."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return True
    if not parts.netloc or parts.scheme not in ("", "http", "https"):
        return False
    own_host = urlsplit(settings.PUBLIC_URL).hostname if settings.PUBLIC_URL else None
    return own_host is None or parts.hostname != own_host
