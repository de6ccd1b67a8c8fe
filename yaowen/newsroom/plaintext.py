"""Pasted plain text in, a Markdown body out: headings, references and a title suggestion.

Creators paste the plain text of an article copied from elsewhere. `import_plain_text` turns it
into a Markdown body for the editor and proposes what it found (title, section headings,
references), which the creator then confirms in the studio. Pure functions, no database; it
never raises, whatever the string.

Normalisation
    Windows and old Mac newlines (and U+2028/U+2029/NEL, vertical tab, form feed) become
    "\\n"; zero-width characters, the BOM, bidirectional controls, soft hyphens, other control
    characters and lone surrogates are removed; every line is stripped of leading and trailing
    whitespace (including the full-width indent "　　", which would otherwise make an indented
    code block). Every non-empty line is a paragraph: Chinese web pages put one paragraph per
    line, separated by single newlines or by blank lines; runs of blank lines (where pictures
    stood) count as one break.

Literal text
    Text that Markdown would read as structure is escaped with a backslash so it renders as
    written: a leading "#", ">", "-", "+", "*", "_", "=", "`", "~" or "|", an ordered-list
    marker ("1." / "1)"), a link reference definition ("[1]: ..."), and a "<" that starts
    something tag-like ("<b>", "</", "<!"), because the renderer drops raw HTML and the text
    would vanish. Autolinks ("<https://...>") and inline emphasis are left alone.

Title suggestion
    The first non-empty line, when more text follows it, it is 2-60 characters long with at
    least two letters, has no "。", does not end with clause punctuation ("。；;：:，,、…") and
    is not a references marker or a keyword heading such as "前言". It is then left out of the
    body, because the page shows the title as its own heading.

Headings
    A line becomes a "## heading" when all of these hold:

    * it is 2-30 characters long and has at least two letters (CJK characters count), so
      dates, times and numbers never qualify;
    * it does not end with sentence punctuation (。！；：，,.;:…、 or a dash), looking through a
      closing quote or bracket; it may end with ？/?/！/! only when it is at most 20
      characters long; and it holds no "。" or "；" inside;
    * it is not wrapped in brackets (picture captions such as "（图片来源：网络）"), does not
      start like a credit or caption ("来源：", "编辑：", "图为", ...) and holds no URL;
    * it stands alone: the previous non-empty line is the start of the text or a paragraph
      (at least 20 characters, or ending with sentence punctuation) that does not end with a
      colon, since lines after "...如下：" are list items or quotes, not sections;
    * the next non-empty line is a paragraph (as above) longer than the line itself;
    * it is not the references marker and not inside the references block.

    So a normal paragraph of 40-160 characters can never become a heading. "结语", "结论",
    "尾声", "前言" (and "引言", "小结", "总结", "后记", "结束语", "写在最后", "序言"), alone on a
    line, optionally with a trailing colon or in 【】, are always headings.

References
    The block starts at a line that is only "参考资料", "参考文献", "资料来源" or "References"
    (optionally in brackets, with a trailing colon); the last such marker followed by at least
    one reference (or by nothing) wins, and a marker with no reference after it stays in the
    body as a paragraph. The following lines, blank lines between them allowed, are references
    as long as they look like one: a date, a URL or a list number, or at most 60 characters not
    ending with a full stop. The first line that does not ends the block, and it and any text
    after it (platform boilerplate, say) stay in the body. A reference line is read as a title,
    an outlet and a date in any order: a leading number ("[1]", "1.", "①") and document-type
    codes ("[N]", "[EB/OL]") are dropped, the first http(s) URL and the first date
    (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日) are taken out, and of the remaining
    pieces the one that looks like an outlet (a name ending in 网/报/社/台/新闻/日报/...,
    "Reuters", "News", ...) or, failing that, the last short whitespace- or comma-separated
    piece is the source; the rest is the title.
"""

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DetectedReference:
    """One line of the references block, read as title, outlet, date and URL."""

    source: str  # outlet name, "" if not found
    title: str
    published_on: dt.date | None
    url: str  # "" if none
    raw: str  # the original line (normalised and stripped)


@dataclass(frozen=True)
class ImportedText:
    """What `import_plain_text` found in a paste, for the creator to confirm."""

    body_markdown: str  # paragraphs separated by one blank line; headings as "## heading"
    headings: list[str]  # the detected headings, in order
    references: list[DetectedReference]  # from the references block (removed from the body)
    title_suggestion: str  # first line if it looks like a title, else ""


# --- normalisation -------------------------------------------------------------------------

_NEWLINE_RE = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Zero-width and BOM, soft hyphen, bidi controls, C0/C1 controls (not \t, \n), lone surrogates.
_INVISIBLE_RE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u061c\u180e\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]"
)


def _normalised_lines(text: str) -> list[str]:
    text = _NEWLINE_RE.sub("\n", text)
    text = _INVISIBLE_RE.sub("", text)
    return [line.strip() for line in text.split("\n")]


# --- literal text --------------------------------------------------------------------------

# Line starts that Markdown reads as block structure.
_BLOCK_START_RE = re.compile(r"[#>+*_=`~|-]|\d{1,9}[.)](?=\s|$)|\[[^\]]*\]:")
# A "<" that would open raw HTML (which the renderer drops), but not an autolink.
_TAG_OPEN_RE = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>)")
_CLOSING_HASHES_RE = re.compile(r"(\s)(#+)$")


def _literal(line: str) -> str:
    """`line` escaped so that Markdown renders it as the same text in one paragraph."""
    match = _BLOCK_START_RE.match(line)
    if match:
        if line[0].isdigit():
            cut = match.end() - 1
            line = line[:cut] + "\\" + line[cut:]
        else:
            line = "\\" + line
    return _TAG_OPEN_RE.sub(r"\\<", line)


def _heading_markdown(text: str) -> str:
    # A trailing " #" would be read as the heading's optional closing sequence and dropped.
    return "## " + _CLOSING_HASHES_RE.sub(r"\1\\\2", _literal(text))


# --- shapes of lines -----------------------------------------------------------------------

_CLOSERS = "”’\"'）)】」』》]"
_NEVER_ENDS_HEADING = set("。；;：:，,.、…—-～~")
_MAY_END_SHORT_HEADING = set("？?！!")
_SENTENCE_END = set("。！？!?…；;.")
_COLONS = set("：:")
_KEYWORD_HEADINGS = {
    "结语", "结论", "尾声", "前言", "引言", "小结", "总结", "后记", "结束语", "写在最后", "序言",
}  # fmt: skip
_KEYWORD_RE = re.compile(r"^[【\[]?\s*(?P<word>[^\s【】\[\]:：]{2,4})\s*[】\]]?\s*[:：]?$")
_MARKER_RE = re.compile(
    r"^[【\[(（]?\s*(?:参考资料|参考文献|资料来源|references)\s*[】\])）]?\s*[:：]?$", re.IGNORECASE
)
_CREDIT_RE = re.compile(
    r"^(?:(?:来源|出处|编辑|作者|责编|责任编辑|图源|图片来源|图片|摄影|记者|校对|审核|审校|原标题"
    r"|撰文|出品|策划|监制|注|备注|source|photo|editor|by)\s*[:：|｜]|图\s*\d*\s*[为:：])",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"https?://[^\s<>\"'“”‘’，。；、（）《》【】]+", re.IGNORECASE)
_BRACKETED = (("（", "）"), ("(", ")"), ("【", "】"), ("[", "]"))


def _core_end(line: str) -> str:
    """The last character of `line`, looking through closing quotes and brackets."""
    core = line.rstrip(_CLOSERS)
    return core[-1] if core else ""


def _letters(line: str) -> int:
    return sum(1 for char in line if char.isalpha())


def _is_paragraph(line: str) -> bool:
    return len(line) >= 20 or _core_end(line) in _SENTENCE_END


def _keyword_heading(line: str) -> str:
    """The heading word if `line` is only a keyword such as 结语, else ""."""
    if len(line) > 10:
        return ""
    match = _KEYWORD_RE.match(line)
    return match["word"] if match and match["word"] in _KEYWORD_HEADINGS else ""


def _heading_shape(line: str) -> bool:
    """Whether `line` alone could be a section heading (its neighbours are checked elsewhere)."""
    if not 2 <= len(line) <= 30 or _letters(line) < 2:
        return False
    end = _core_end(line)
    if end in _MAY_END_SHORT_HEADING:
        if len(line) > 20:
            return False
    elif not end or end in _NEVER_ENDS_HEADING:
        return False
    if "。" in line or "；" in line or ";" in line:
        return False
    if any(line.startswith(left) and line.endswith(right) for left, right in _BRACKETED):
        return False
    return not (_CREDIT_RE.match(line) or _URL_RE.search(line) or _MARKER_RE.match(line))


def _looks_like_title(line: str) -> bool:
    return (
        2 <= len(line) <= 60
        and _letters(line) >= 2
        and "。" not in line
        and _core_end(line) not in set("。；;：:，,、…")
        and not _MARKER_RE.match(line)
        and not _keyword_heading(line)
        and not _URL_RE.fullmatch(line)
    )


# --- references ----------------------------------------------------------------------------

_NUMBERING_RE = re.compile(
    r"^(?:\[\d{1,3}\]|［\d{1,3}］|[(（]\d{1,3}[)）]|\d{1,3}[.、)）](?!\d)|[\u2460-\u2473]|[-*•·●▪])\s*"
)
_DOC_TYPE_RE = re.compile(r"\[(?:[A-Z]{1,2}|[A-Z]{1,2}/OL)\]")
_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>1[89]\d\d|2[01]\d\d)\s*(?:(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*"
    r"(?P<day>\d{1,2})|年\s*(?P<cn_month>\d{1,2})\s*月\s*(?P<cn_day>\d{1,2})\s*[日号]?)(?!\d)"
)
_SOURCE_LABEL_RE = re.compile(r"(?:来源|出处|source)\s*[:：]\s*", re.IGNORECASE)
_STRONG_SEPARATOR_RE = re.compile(r"\s*[，,|｜]\s*|\s+[-—–]+\s+|——|\s{2,}")
_PIECE_STRIP = " \t,，.。;；:：|｜-—–·/、"
_OUTLET_ENDINGS = (
    "网", "报", "社", "台", "刊", "志", "新闻", "频道", "客户端", "在线", "传媒", "媒体", "之声",
    "观察", "微博", "官微", "公众号", "号", "news", "times", "post", "journal", "press", "daily",
    "agency", "reuters", "bbc", "cnn", "ap", "afp", "bloomberg", "guardian", "xinhua",
)  # fmt: skip
_REFERENCE_MARK = "\n"  # where a URL or date was taken out; no line holds a newline


def _is_reference_line(line: str) -> bool:
    if _DATE_RE.search(line) or _URL_RE.search(line) or _NUMBERING_RE.match(line):
        return True
    return len(line) <= 60 and _core_end(line) not in "。."


def _clean_piece(piece: str) -> str:
    piece = piece.strip(_PIECE_STRIP)
    # Brackets left half-open by a date or URL taken out, e.g. "环球网(2025-11-13)".
    piece = piece.rstrip("(（[【<《“ ").lstrip(")）]】>》” ")
    return piece.strip(_PIECE_STRIP)


def _unwrap_title(title: str) -> str:
    for left, right in (("《", "》"), ("“", "”"), ('"', '"')):
        inner = title[1:-1]
        if title.startswith(left) and title.endswith(right) and left not in inner:
            return inner.strip()
    return title


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _looks_like_outlet(piece: str) -> bool:
    return 0 < len(piece) <= 20 and piece.lower().endswith(_OUTLET_ENDINGS)


def _split_source(text: str) -> tuple[str, str]:
    """(title, source) of a reference with its date and URL already taken out."""
    parts = [part for part in _STRONG_SEPARATOR_RE.split(text) if part]
    tokens = text.split()
    # "Title, City Daily": an outlet name may hold spaces, unless it is Chinese.
    last = parts[-1] if parts else ""
    if len(parts) >= 2 and _looks_like_outlet(last) and not (_has_cjk(last) and " " in last):
        return " ".join(parts[:-1]), last
    if len(tokens) >= 2 and _looks_like_outlet(tokens[-1]):
        return " ".join(tokens[:-1]), tokens[-1]
    head, *rest = re.split(r"[:：]", text, maxsplit=1)
    if rest and rest[0].strip() and _looks_like_outlet(head.strip()):
        return rest[0].strip(), head.strip()
    if len(parts) >= 2 and len(parts[-1]) <= 20:
        return " ".join(parts[:-1]), parts[-1]
    if len(tokens) >= 2 and _has_cjk(text) and len(tokens[-1]) <= 20:
        return " ".join(tokens[:-1]), tokens[-1]
    return text, ""


def _parse_reference(raw: str) -> DetectedReference:
    text = _NUMBERING_RE.sub("", raw, count=1)
    text = _DOC_TYPE_RE.sub(" ", text)
    url = ""
    match = _URL_RE.search(text)
    if match:
        url = match[0].rstrip(".,;:!?")
        if url.count(")") > url.count("("):
            url = url.rstrip(")")
        text = text[: match.start()] + _REFERENCE_MARK + text[match.start() + len(url) :]
    published_on = None
    for match in _DATE_RE.finditer(text):
        month, day = match["month"] or match["cn_month"], match["day"] or match["cn_day"]
        try:
            published_on = dt.date(int(match["year"]), int(month), int(day))
        except ValueError:
            continue
        text = text[: match.start()] + _REFERENCE_MARK + text[match.end() :]
        break
    text = _SOURCE_LABEL_RE.sub(_REFERENCE_MARK, text)
    pieces = [piece for piece in map(_clean_piece, text.split(_REFERENCE_MARK)) if piece]
    if not pieces:
        title, source = "", ""
    elif len(pieces) == 1:
        title, source = _split_source(pieces[0])
    elif _looks_like_outlet(pieces[0]) and not _looks_like_outlet(pieces[-1]):
        title, source = " ".join(pieces[1:]), pieces[0]
    else:
        title, source = " ".join(pieces[:-1]), pieces[-1]
    return DetectedReference(
        source=_clean_piece(source),
        title=_unwrap_title(_clean_piece(title)),
        published_on=published_on,
        url=url,
        raw=raw,
    )


def _references_block(lines: list[str], start: int) -> tuple[int, int, list[DetectedReference]]:
    """Find the references block in lines[start:]: (marker index, end index, references).

    The marker index is -1 when there is no block.
    """
    for marker in reversed(range(start, len(lines))):
        if not _MARKER_RE.match(lines[marker]):
            continue
        found: list[str] = []
        index = marker + 1
        while index < len(lines):
            line = lines[index]
            if line:
                if not _is_reference_line(line):
                    break
                found.append(line)
                index += 1
                continue
            after = index
            while after < len(lines) and not lines[after]:
                after += 1
            if after == len(lines) or not _is_reference_line(lines[after]):
                break
            index = after
        if found or not any(lines[marker + 1 :]):
            return marker, index, [_parse_reference(line) for line in found]
    return -1, -1, []


# --- the import ----------------------------------------------------------------------------


def import_plain_text(text: str) -> ImportedText:
    """Turn pasted plain text into a Markdown body; see the module docstring for the rules."""
    lines = _normalised_lines(text)
    start = next((index for index, line in enumerate(lines) if line), len(lines))

    title = ""
    if start < len(lines) and any(lines[start + 1 :]) and _looks_like_title(lines[start]):
        title = lines[start]
        start += 1

    marker, end, references = _references_block(lines, start)
    body_lines = lines[start:] if marker < 0 else lines[start:marker] + lines[end:]
    paragraphs = [line for line in body_lines if line]

    blocks: list[str] = []
    headings: list[str] = []
    for index, line in enumerate(paragraphs):
        heading = _keyword_heading(line)
        if not heading and _heading_shape(line):
            previous = paragraphs[index - 1] if index else ""
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
            if (
                (not previous or (_is_paragraph(previous) and _core_end(previous) not in _COLONS))
                and _is_paragraph(following)
                and len(following) > len(line)
            ):
                heading = line
        if heading:
            headings.append(heading)
            blocks.append(_heading_markdown(heading))
        else:
            blocks.append(_literal(line))

    return ImportedText(
        body_markdown="\n\n".join(blocks),
        headings=headings,
        references=references,
        title_suggestion=title,
    )
