"""Share cards: 1200×630 PNGs with an article's title, and the site's logo, drawn by Pillow.

Titles are Chinese, so a CJK font is needed (Debian: fonts-noto-cjk or fonts-wqy-zenhei).
Without one, Pillow's default font cannot draw Han characters (they would come out as
boxes), so only Latin text is drawn and each Chinese text gives way to its ASCII fallback.
"""

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
LOGO_SIZE = (512, 512)
MARGIN = 80
TITLE_SIZE = 64
TITLE_LINES = 4
RED = (200, 16, 46)
INK = (17, 17, 17)
GREY = (96, 96, 96)
PAPER = (255, 255, 255)
FOOT = (244, 244, 244)

# Chinese line breaking: these may hang past the margin but never start a line.
NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)")

# (path, face index): Noto's collection puts Simplified Chinese at index 2.
CJK_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)


@dataclass(frozen=True)
class Text:
    """Something to draw, and what to draw instead when no CJK font can show it."""

    text: str
    fallback: str = ""

    def pick(self, cjk: bool) -> str:
        return self.text if cjk or _is_latin(self.text) else self.fallback


def _is_latin(text: str) -> bool:
    return all(ord(char) < 0x250 or char in "·…–—‘’“”" for char in text)


@functools.cache
def cjk_font() -> tuple[str, int] | None:
    """The first CJK font found: the SHARE_CARD_FONT setting, known Debian paths, fontconfig."""
    configured = getattr(settings, "SHARE_CARD_FONT", "")
    if configured and Path(configured).is_file():
        return configured, 0
    for path, index in CJK_FONTS:
        if Path(path).is_file():
            return path, index
    if fc_list := shutil.which("fc-list"):
        found = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
        files = sorted(line.strip().rstrip(":") for line in found.splitlines() if line.strip())
        if files:
            return files[0], 0
    return None


def drawn(*texts: Text) -> tuple[str, ...]:
    """What drawing `texts` puts on an image on this machine: the font and each text's pick.
    The same values draw the same image."""
    found = cjk_font()
    return (found[0] if found else "", *(text.pick(found is not None) for text in texts))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if (found := cjk_font()) is not None:
        return ImageFont.truetype(found[0], size, index=found[1])
    return ImageFont.load_default(size=size)


def wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    """Greedy wrapping by character (Chinese has no spaces); the last line ends in … if cut."""
    lines: list[str] = []
    line = ""
    for char in text:
        if font.getlength(line + char) <= width or (line and char in NO_LINE_START):
            line += char
            continue
        lines.append(line.rstrip())
        line = char.lstrip()
        if len(lines) == max_lines:
            break
    else:
        if line:
            lines.append(line)
        return lines
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return lines


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def share_card(*, title: Text, kicker: Text, site: Text, byline: Text = Text("")) -> bytes:
    """A 1200×630 PNG: kicker (channel) on top, the wrapped title, and a footer with the site."""
    cjk = cjk_font() is not None
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 14), fill=RED)
    draw.text((MARGIN, 70), kicker.pick(cjk), font=_font(36), fill=RED)
    title_font = _font(TITLE_SIZE)
    y = 140
    for line in wrap(title.pick(cjk), title_font, width - 2 * MARGIN, TITLE_LINES):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += int(TITLE_SIZE * 1.4)
    draw.rectangle((0, height - 110, width, height), fill=FOOT)
    draw.text((MARGIN, height - 55), site.pick(cjk), font=_font(44), fill=RED, anchor="lm")
    if name := byline.pick(cjk):
        byline_font = _font(30)
        name = wrap(name, byline_font, width // 2, 1)[0]
        draw.text((width - MARGIN, height - 55), name, font=byline_font, fill=GREY, anchor="rm")
    return _png(image)


def logo(*, site: Text) -> bytes:
    """A square logo: the site name in white on red (the publisher logo of structured data)."""
    cjk = cjk_font() is not None
    image = Image.new("RGB", LOGO_SIZE, RED)
    draw = ImageDraw.Draw(image)
    name = site.pick(cjk)
    size = 200
    font = _font(size)
    while size > 24 and font.getlength(name) > LOGO_SIZE[0] - 64:
        size -= 8
        font = _font(size)
    draw.text((LOGO_SIZE[0] // 2, LOGO_SIZE[1] // 2), name, font=font, fill=PAPER, anchor="mm")
    return _png(image)
