"""Article bodies: Markdown in, sanitised HTML out. Pure functions, no database."""

import html
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

# Creators' bodies are hostile input: only these tags and attributes survive.
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "code", "pre",
    "a", "img", "figure", "figcaption", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# cmark writes a paragraph holding only an image exactly like this.
_FIGURE_RE = re.compile(
    r'<p><img src="(?P<src>[^"]*)" alt="(?P<alt>[^"]*)"(?: title="(?P<title>[^"]*)")? /></p>'
)
_H1_RE = re.compile(r"<(/?)h1>")
# Markdown that is not prose: images (their alt text describes a picture, not the story),
# link targets (the link text stays), bare URLs, HTML tags and markup characters.
_NOT_PROSE_RE = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|https?://\S+|<[^>\n]*>|[#>*_`|\[\]~]+|^\s*[-+]\s|^\s*\d+[.)]\s",
    re.MULTILINE,
)


def _figure(match: re.Match[str]) -> str:
    # The one place Python writes markup outside a template (allowed by
    # core/tests/test_markup_in_python.py): this is the Markdown renderer itself, turning
    # cmark's already escaped <img> into a figure before nh3 sanitises the whole body.
    caption = match["title"]
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (
        f'<figure><img src="{match["src"]}" alt="{match["alt"]}" loading="lazy" '
        f'decoding="async">{figcaption}</figure>'
    )


def render_body(source: str) -> str:
    """Render a Markdown body to HTML that is safe to show: sanitised by nh3's safelist.

    A paragraph holding a single image becomes a <figure> whose caption is the image title;
    level-1 headings become h2, because the page's h1 is the article title.
    """
    markup = cmarkgfm.github_flavored_markdown_to_html(source, options=Options.CMARK_OPT_DEFAULT)
    markup = _FIGURE_RE.sub(_figure, markup)
    markup = _H1_RE.sub(r"<\1h2>", markup)
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


def summarise(source: str, limit: int = 90) -> str:
    """The first plain paragraph of a Markdown body, cut at `limit` characters."""
    for block in source.split("\n\n"):
        text = block.strip()
        if text and not text.startswith(("#", "!", ">", "|", "-", "*")):
            text = html.unescape(text)
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def plain_text(source: str) -> str:
    """The prose of a Markdown body, paragraphs kept on their own lines, markup removed."""
    return html.unescape(_NOT_PROSE_RE.sub(" ", source))
