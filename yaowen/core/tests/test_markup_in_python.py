"""HTML is written in templates (templates/, Jinja2 fragments in templates/jinja2/), never
assembled in Python strings: this scans every string literal and f-string of the project's
non-test Python for an HTML tag."""

import ast
import re
from pathlib import Path

from django.conf import settings

# Files that may hold markup, each with its reason. Keep it short: a new entry needs one.
ALLOWED = {
    # The Markdown renderer: turns cmark-gfm's <img> paragraph into a <figure> (and matches
    # cmark's output to do so) before nh3 sanitises the whole body. Its output is the
    # article's HTML, not page markup a template could hold.
    "yaowen/newsroom/rendering.py",
}

TAG_NAMES = (
    "a abbr article aside b blockquote br button caption code dd del details dialog div dl dt "
    "em fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe "
    "img input ins label legend li link main mark meta nav noscript ol optgroup option p pre "
    "q s script section select small span strong style sub summary sup table tbody td "
    "template textarea tfoot th thead time title tr u ul"
)
# An opening or closing tag; `(?P<name>` in a regular expression is not one.
TAG = re.compile(r"(?<!\?P)</?(?:" + TAG_NAMES.replace(" ", "|") + r")(?=[\s>/])", re.IGNORECASE)


def _sources() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for folder in ("yaowen", "config")
        for path in sorted((root / folder).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant (f-strings' literal parts included) but docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def markup_in(source: str) -> list[tuple[int, str]]:
    return [(line, text) for line, text in _literals(ast.parse(source)) if TAG.search(text)]


def test_the_scan_finds_markup_in_strings_and_f_strings_only():
    source = (
        '"""A <b>docstring</b> may name tags."""\n'
        "a = f'<li class=\"card\">{x}</li>'\n"
        "b = '<a href=\"{}\">{}</a>'.format(u, t)\n"
        "c = 'lines are label<TAB>title'\n"
        "d = re.compile(r'(?P<title>.*)')\n"
        "e = '1 < 2 and 3 > 2'\n"
    )
    assert [line for line, _text in markup_in(source)] == [2, 2, 3]


def test_no_python_outside_the_allowed_files_assembles_markup():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}:{line}: {text[:60]!r}"
        for path in _sources()
        if str(path.relative_to(root)) not in ALLOWED
        for line, text in markup_in(path.read_text(encoding="utf-8"))
    ]
    assert not found, "write this markup in a template (templates/ or templates/jinja2/)"


def test_the_allowed_files_still_need_their_entry():
    root = Path(settings.BASE_DIR)
    for name in ALLOWED:
        assert markup_in((root / name).read_text(encoding="utf-8")), f"{name}: drop its entry"
