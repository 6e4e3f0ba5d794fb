"""Markdown to safe HTML: rendered once when an article is saved, sanitized with nh3."""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.translation import gettext as _
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from core.i18n import LANGUAGE_CODES, text_in

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
# Elements whose opening tag, never closed, makes a browser (and nh3) read the rest of the
# article as their content: as text (<title>, <textarea>) or as code that is dropped (<script>).
SWALLOWING_TAGS = {
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "plaintext",
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
}
# Of those, the ones that nest; in the others everything up to the first end tag is text.
NESTING_TAGS = {"object", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "cite"}

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


def _tag_pattern(name):
    # Attribute values may hold ">"; an end tag ends at the first ">".
    return re.compile(rf"""<(/?){name}(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)


def _unclosed_tags(text, name):
    """Return the (start, end) of each opening tag of `name` that no end tag closes."""
    open_tags = []
    for match in _tag_pattern(name).finditer(text):
        if not match.group(1):
            open_tags.append(match.span())
        elif name in NESTING_TAGS:
            open_tags = open_tags[:-1]
        else:
            open_tags = []
    return open_tags


def _starts_line(text, index):
    """Return True if only up to three spaces precede `index` on its line, as Markdown reads."""
    indent = text[text.rfind("\n", 0, index) + 1 : index]
    return len(indent) <= 3 and not indent.strip(" ")


def remove_unclosed_tags(text, *, removed, at_line_start=False):
    """Remove the opening tags of SWALLOWING_TAGS that nothing closes; keep what follows them.

    The name of each tag removed is added to `removed`. With `at_line_start`, only tags that
    start a line (indented by three spaces at most) are removed.
    """
    spans = []
    for name in sorted(SWALLOWING_TAGS):
        for start, end in _unclosed_tags(text, name):
            if not at_line_start or _starts_line(text, start):
                spans.append((start, end))
                removed.append(name)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


class _UnclosedTags(Preprocessor):
    """Remove unclosed tags that start a line, where Markdown would take the rest as raw HTML.

    Runs after fenced code blocks are set aside, so that code keeps its tags.
    """

    def __init__(self, md, removed):
        super().__init__(md)
        self.removed = removed

    def run(self, lines):
        text = remove_unclosed_tags("\n".join(lines), removed=self.removed, at_line_start=True)
        return text.split("\n")


class _PortalExtension(markdown.Extension):
    def __init__(self, removed):
        super().__init__()
        self.removed = removed

    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 5)
        # Between fenced_code_block (25) and html_block (20).
        md.preprocessors.register(_UnclosedTags(md, self.removed), "unclosed_tags", 22)


def _allowed_url(value):
    compact = re.sub(r"[\t\n\r]", "", value or "").strip()
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", compact)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


class _RemovalFinder(HTMLParser):
    """List the tags and attributes of HTML that the sanitizer does not keep."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = {}

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            if tag in CLEAN_CONTENT_TAGS:
                self.found[_("<%(tag)s> element") % {"tag": tag}] = True
            else:
                self.found[_("<%(tag)s> tag") % {"tag": tag}] = True
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        if tag == "a":
            allowed = allowed | {"rel"}  # replaced, not removed: see _mark_external_link
        for name, value in attrs:
            if name not in allowed or (name in URL_ATTRIBUTES and not _allowed_url(value)):
                self.found[_("%(attribute)s attribute") % {"attribute": name}] = True

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Sanitized:
    """Markdown rendered to safe HTML, and what the sanitizer removed, for the author."""

    html: str
    removed: tuple[str, ...]


def sanitize_markdown(text):
    """Render Markdown text to sanitized HTML and list, in words, what was removed."""
    if not text:
        return Sanitized("", ())
    unclosed = []
    html_text = markdown.markdown(
        text,
        extensions=["extra", "sane_lists", _PortalExtension(unclosed)],
        # Alignment as an attribute, since style attributes never pass the sanitizer.
        extension_configs={"extra": {"tables": {"use_align_attribute": True}}},
        output_format="html",
    )
    html_text = remove_unclosed_tags(html_text, removed=unclosed)
    finder = _RemovalFinder()
    finder.feed(html_text)
    finder.close()
    unclosed_words = [_("<%(tag)s> tag") % {"tag": name} for name in unclosed]
    removed = dict.fromkeys([*unclosed_words, *finder.found])
    cleaned = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return Sanitized(_A_TAG.sub(_mark_external_link, cleaned).strip(), tuple(removed))


def render_markdown(text):
    """Return sanitized HTML for Markdown text; links to other sites get rel="noopener"."""
    return sanitize_markdown(text).html


def removed_markup(article):
    """Return (language code, what the sanitizer removed) for each body that lost something."""
    found = []
    for code in LANGUAGE_CODES:
        removed = sanitize_markdown(text_in(article, "body", code)).removed
        if removed:
            found.append((code, removed))
    return found


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
