import html
import re
from html.parser import HTMLParser

import pytest

from news.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize_markdown
from tests.factories import ArticleFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "![x](javascript:alert(1))",
    '![x](data:image/svg+xml,<svg onload="alert(1)">)',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<a href="https://ok.example" onmouseover=alert(1)>x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;inset:0">x</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name=p><button>go</button></form>',
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<details open ontoggle=alert(1)>x</details>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<!--><script>alert(1)</script>-->",
    '<div markdown="1">[x](javascript:alert(1)) <b onclick="alert(1)">b</b></div>',
    'Text\n{: onclick="alert(1)" }\n\n## Heading {: onclick=alert(1) style=color:red }',
    '<table><tr><td background="javascript:alert(1)" onclick=alert(1)>x</td></tr></table>',
    "<p>\n<script>\nalert(1)\n</script>\n</p>",
    '<a href="javascript&colon;alert(1)">x</a>',
    # Unclosed elements, whose opening tag the renderer removes to keep the text after it.
    "<script>alert(1)\n\n<img src=x onerror=alert(1)>",
    "Text <script>alert(1)",
    "<style>\n\n<svg onload=alert(1)>",
    "<title>\n\n<script>alert(1)</script>",
    "<textarea><script>alert(1)</script>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<noscript><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)",
    "<script\n>alert(1)",
    "<script title='>'>alert(1)",
]
SAFE_SCHEMES = {"", "http", "https", "mailto"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "srcdoc"}


class _Inspector(HTMLParser):
    """Collect every tag and attribute of an HTML fragment, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _scheme(url):
    # As the URL standard reads it: outer controls and spaces trimmed, tabs and newlines dropped.
    compact = re.sub(r"[\t\n\r]", "", html.unescape(url or "").strip(C0_AND_SPACE)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else ""


def assert_inert(output):
    lowered = output.lower()
    for needle in ("<script", "<svg", "<iframe", "<style", "<object", "<embed", "<form"):
        assert needle not in lowered
    for needle in ("javascript:", "vbscript:", "data:", "onerror", "onload", "onclick"):
        assert needle not in lowered
    inspector = _Inspector()
    inspector.feed(output)
    for tag, attrs in inspector.tags:
        assert tag in ALLOWED_TAGS
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
            if name in URL_ATTRIBUTES:
                assert _scheme(value) in SAFE_SCHEMES


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_leaves_nothing_executable_from_an_xss_payload(payload):
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_leaves_nothing_executable_when_a_payload_sits_inside_an_article(payload):
    text = (
        f"## Visit\n\nThe delegation arrived.\n\n{payload}\n\n> A quote {payload}\n\n- {payload}\n"
    )
    assert_inert(render_markdown(text))


def test_it_keeps_the_text_around_a_removed_script():
    output = render_markdown("Before <script>alert(1)</script> after")
    assert "Before" in output
    assert "after" in output
    assert "alert" not in output


# ---- What follows removed markup stays, and the author learns what was removed

REST = "Rest of the *article*.\n\n- one\n- two"
REST_HTML = "<p>Rest of the <em>article</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


def test_it_keeps_the_article_after_a_script_block_and_names_it():
    result = sanitize_markdown(f"Intro\n\n<script>alert(1)</script>\n\n{REST}")
    assert REST_HTML in result.html
    assert "alert" not in result.html
    assert result.removed == ("<script> element",)


@pytest.mark.parametrize(
    "tag",
    [
        "script",
        "style",
        "iframe",
        "noscript",
        "object",
        "template",
        "title",
        "textarea",
        "xmp",
        "plaintext",
        "noembed",
        "noframes",
    ],
)
def test_it_keeps_the_article_after_an_unclosed_tag(tag):
    result = sanitize_markdown(f"Intro\n\n<{tag}>\n\n{REST}")
    assert result.html == f"<p>Intro</p>\n{REST_HTML}"
    assert result.removed == (f"<{tag}> tag",)


def test_it_keeps_the_paragraph_after_an_unclosed_tag_within_a_line():
    result = sanitize_markdown(f"Intro <style type='text/css'> and more\n\n{REST}")
    assert result.html == f"<p>Intro  and more</p>\n{REST_HTML}"
    assert result.removed == ("<style> tag",)


def test_it_keeps_the_article_after_an_unclosed_tag_in_a_quote():
    result = sanitize_markdown(f"> <script>\n\n{REST}")
    assert REST_HTML in result.html
    assert "<script" not in result.html


def test_it_leaves_a_script_tag_in_code_as_code():
    result = sanitize_markdown("```\n<script>\n```\n\nUse `<style>` here.")
    assert "<pre><code>&lt;script&gt;\n</code></pre>" in result.html
    assert "<code>&lt;style&gt;</code>" in result.html
    assert result.removed == ()


def test_it_names_each_removed_tag_and_attribute_once():
    text = (
        '<img src=x onerror="alert(1)"> <strong onclick="x()">bold</strong> <b>b</b>\n\n'
        '<em onclick=y>em</em> [link](javascript:alert(1)) <b style="x">b</b>\n\n'
        "<iframe src=https://evil.example></iframe>"
    )
    assert sanitize_markdown(text).removed == (
        "<img> tag",
        "onclick attribute",
        "<b> tag",
        "href attribute",
        "<iframe> element",
    )


def test_it_reports_nothing_for_markdown_it_keeps(settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    text = (
        "## Heading\n\n*em* **strong** [site](https://www.jiangsu.gov.cn/) [mail](mailto:a@b.c)"
        '\n\n<a href="https://evil.example/" rel="opener" title="t">x</a>\n\n'
        "| a | b |\n|:--|--:|\n| 1 | 2 |"
    )
    assert sanitize_markdown(text).removed == ()


def test_it_renders_a_quoted_line_as_a_block_quote():
    output = render_markdown("> Friendship grows into sisterhood.")
    assert output == "<blockquote>\n<p>Friendship grows into sisterhood.</p>\n</blockquote>"


def test_it_renders_dash_lines_as_a_bulleted_list():
    output = render_markdown("Points:\n\n- trade\n- culture\n- education")
    assert "<ul>\n<li>trade</li>\n<li>culture</li>\n<li>education</li>\n</ul>" in output


def test_it_keeps_the_structure_a_news_body_needs():
    text = (
        "## Section\n\n### Sub\n\n#### Minor\n\n*em* **strong** `code`\n\n"
        "1. first\n2. second\n\n```\nx < 1\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n"
    )
    output = render_markdown(text)
    for fragment in (
        "<h2>Section</h2>",
        "<h3>Sub</h3>",
        "<h4>Minor</h4>",
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<ol>\n<li>first</li>",
        "<pre><code>x &lt; 1\n</code></pre>",
        '<th align="left">a</th>',
        '<td align="right">2</td>',
    ):
        assert fragment in output


def test_it_keeps_headings_below_the_page_title():
    output = render_markdown("# Top\n\n###### Deep")
    assert "<h2>Top</h2>" in output
    assert "<h4>Deep</h4>" in output
    assert "<h1" not in output


def test_it_adds_rel_to_links_to_other_sites(settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    output = render_markdown("[Jiangsu](https://www.jiangsu.gov.cn/en/)")
    assert output == (
        '<p><a href="https://www.jiangsu.gov.cn/en/" rel="noopener noreferrer">Jiangsu</a></p>'
    )


def test_it_adds_rel_to_protocol_relative_links(settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    assert 'rel="noopener noreferrer"' in render_markdown('<a href="//evil.example/">x</a>')


@pytest.mark.parametrize(
    "link",
    [
        "[News](/en/news/)",
        "[Section](#section)",
        "[Page](other-page/)",
        "[Own site](https://portal.example.org/en/news/)",
        "[Own site](https://PORTAL.example.org/ko/)",
        "[Mail](mailto:news@example.org)",
    ],
)
def test_it_leaves_internal_links_as_written(settings, link):
    settings.PUBLIC_URL = "https://portal.example.org"
    output = render_markdown(link)
    assert "rel=" not in output
    assert "<a href=" in output


def test_it_treats_every_absolute_link_as_external_without_a_public_url(settings):
    settings.PUBLIC_URL = ""
    assert 'rel="noopener noreferrer"' in render_markdown("[x](https://portal.example.org/)")


def test_it_replaces_a_rel_the_author_wrote(settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    external = render_markdown('<a href="https://evil.example/" rel="opener">x</a>')
    internal = render_markdown('<a href="/en/" rel="opener">x</a>')
    assert external == '<p><a href="https://evil.example/" rel="noopener noreferrer">x</a></p>'
    assert internal == '<p><a href="/en/">x</a></p>'


def test_it_renders_nothing_for_an_empty_body():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.django_db
def test_it_stores_the_sanitized_body_of_each_language_when_an_article_is_saved():
    article = ArticleFactory(
        body_en="> Quoted\n\n<script>alert(1)</script>",
        title_ko="기사",
        body_ko="- 항목 <img src=x onerror=alert(1)>",
    )
    article.refresh_from_db()
    assert article.body_html_en == "<blockquote>\n<p>Quoted</p>\n</blockquote>"
    assert article.body_html_ko == "<ul>\n<li>항목 </li>\n</ul>"
    assert article.body_html_zh_hans == ""


@pytest.mark.django_db
def test_it_renders_the_body_again_when_it_changes():
    article = ArticleFactory(body_en="Old")
    article.body_en = "[x](javascript:alert(1)) **New**"
    article.save()
    article.refresh_from_db()
    assert article.body_html_en == "<p><a>x</a> <strong>New</strong></p>"
