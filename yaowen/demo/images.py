"""Deterministic generated demo images: identicon avatars (PNG) and abstract figures (WebP)."""

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw

__all__ = ["avatar_png", "figure_srcset_sizes", "figure_webp"]

_RGB = tuple[int, int, int]

# Times of day for figures: (sky top, sky bottom) as HSV triples, and whether windows glow.
_SKIES: tuple[tuple[tuple[float, float, float], tuple[float, float, float], bool], ...] = (
    ((0.58, 0.55, 0.85), (0.55, 0.18, 0.98), False),  # clear day
    ((0.62, 0.45, 0.70), (0.08, 0.45, 0.98), False),  # dawn
    ((0.72, 0.50, 0.45), (0.05, 0.60, 0.95), True),  # dusk
    ((0.65, 0.60, 0.22), (0.62, 0.45, 0.45), True),  # night
    ((0.50, 0.30, 0.80), (0.14, 0.20, 0.98), False),  # hazy morning
)


def _hsv(h: float, s: float, v: float) -> _RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0))
    return round(r * 255), round(g * 255), round(b * 255)


def _mix(a: _RGB, b: _RGB, t: float) -> _RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def avatar_png(seed: int, size: int = 128) -> bytes:
    """A symmetric 5x5 identicon on a soft background, coloured from `seed`; PNG bytes."""
    rng = random.Random(f"avatar/{seed}")
    hue = rng.random()
    fg = _hsv(hue, 0.50 + rng.random() * 0.25, 0.62 + rng.random() * 0.22)
    bg = _hsv(hue + 0.03, 0.10 + rng.random() * 0.06, 0.97)

    cells: list[tuple[int, int]] = []
    while len(cells) < 5:  # avoid near-empty avatars
        bits = rng.getrandbits(15)
        cells = [(col, row) for col in range(3) for row in range(5) if bits >> (col * 5 + row) & 1]

    image = Image.new("RGB", (size, size), bg)
    draw = ImageDraw.Draw(image)
    pad = size / 8
    cell = (size - 2 * pad) / 5
    for col, row in cells:
        for c in {col, 4 - col}:
            x0 = round(pad + c * cell)
            y0 = round(pad + row * cell)
            x1 = round(pad + (c + 1) * cell) - 1
            y1 = round(pad + (row + 1) * cell) - 1
            draw.rectangle((x0, y0, x1, y1), fill=fg)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def figure_srcset_sizes() -> tuple[int, ...]:
    """Widths of the resized figure variants to offer in a srcset."""
    return (480, 960)


def figure_webp(seed: int, width: int = 960, height: int = 540) -> bytes:
    """An abstract illustration (sky, sun, hills, skyline, sea or bars) chosen by `seed`; WebP."""
    rng = random.Random(f"figure/{seed}")
    top_hsv, bottom_hsv, night = _SKIES[rng.randrange(len(_SKIES))]
    shift = (rng.random() - 0.5) * 0.08
    top = _hsv(top_hsv[0] + shift, top_hsv[1], top_hsv[2])
    bottom = _hsv(bottom_hsv[0] + shift, bottom_hsv[1], bottom_hsv[2])
    scene = rng.randrange(4)
    horizon = height * (0.55 + rng.random() * 0.2)
    sun = (
        width * (0.15 + rng.random() * 0.7),
        horizon * (0.25 + rng.random() * 0.5),
        min(width, height) * (0.05 + rng.random() * 0.05),
    )
    core = (246, 244, 228) if night else (255, 226, 150)

    image = _sky(rng, width, height, top, bottom, sun, core)
    draw = ImageDraw.Draw(image)
    cx, cy, radius = sun
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=core)
    if scene == 0:
        _hills(draw, rng, width, height, horizon, bottom, layers=3)
    elif scene == 1:
        _hills(draw, rng, width, height, horizon + height * 0.05, bottom, layers=1)
        _skyline(draw, rng, width, height, horizon, bottom, night)
    elif scene == 2:
        _bars(draw, rng, width, height, top, bottom)
    else:
        _hills(draw, rng, width, height, horizon, bottom, layers=1, far=True)
        _sea(draw, rng, width, height, horizon, top, bottom, core)

    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85, method=0)
    return out.getvalue()


def _sky(
    rng: random.Random,
    width: int,
    height: int,
    top: _RGB,
    bottom: _RGB,
    sun: tuple[float, float, float],
    core: _RGB,
) -> Image.Image:
    """Gradient sky, sun glow and a painterly grain, drawn small and scaled up (fast, soft)."""
    scale = 4
    sw, sh = max(1, width // scale), max(2, height // scale)
    column = Image.new("RGB", (1, sh))
    column.putdata([_mix(top, bottom, y / (sh - 1)) for y in range(sh)])
    small = column.resize((sw, sh), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(small)
    cx, cy, radius = (value / scale for value in sun)
    sky = _mix(top, bottom, min(1.0, cy / sh))
    for step in range(10, 0, -1):  # glow: concentric discs, brighter towards the sun
        r = radius * (1 + step * 0.3)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_mix(sky, core, 0.5 * (11 - step) / 11))
    noise = Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh)).convert("RGB")
    return Image.blend(small, noise, 0.1).resize((width, height), Image.Resampling.BICUBIC)


def _ridge(
    rng: random.Random, width: int, base: float, amplitude: float
) -> list[tuple[float, float]]:
    waves = [
        (amplitude * (0.4 + rng.random() * 0.6), 1.0 + rng.random() * 3.0, rng.random() * math.tau)
        for _ in range(3)
    ]
    points = []
    for x in range(0, width + 16, 16):
        y = base
        for amp, freq, phase in waves:
            y -= amp * math.sin(freq * x / width * math.tau + phase) * 0.5 + amp * 0.5
        points.append((x, y))
    return points


def _hills(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    width: int,
    height: int,
    horizon: float,
    bottom: _RGB,
    layers: int,
    far: bool = False,
) -> None:
    hue = 0.25 + rng.random() * 0.2
    for layer in range(layers):
        depth = (layer + 1) / layers
        base = horizon + height * 0.12 * layer
        amplitude = height * (0.08 + 0.1 * (1 - depth)) * (0.5 if far else 1.0)
        colour = _mix(bottom, _hsv(hue, 0.45, 0.55 - 0.25 * depth), 0.45 + 0.5 * depth)
        if far:
            colour = _mix(bottom, colour, 0.55)
        points = _ridge(rng, width, base, amplitude)
        draw.polygon([*points, (width, height), (0, height)], fill=colour)


def _skyline(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    width: int,
    height: int,
    horizon: float,
    bottom: _RGB,
    night: bool,
) -> None:
    for row, shade in ((0, 0.35), (1, 0.7)):
        colour = _mix(bottom, (40, 48, 66), shade)
        x = -rng.random() * 40
        while x < width:
            w = width * (0.04 + rng.random() * 0.07)
            h = height * (0.12 + rng.random() * 0.32) * (0.8 if row == 0 else 1.0)
            ground = horizon + height * 0.1 * row + height * 0.2
            draw.rectangle((x, ground - h, x + w, height), fill=colour)
            if row == 1:
                lit = (255, 214, 120) if night else _mix(colour, (210, 225, 240), 0.35)
                wy = ground - h + 8
                while wy < ground - 10:
                    wx = x + 5
                    while wx < x + w - 8:
                        if rng.random() < (0.45 if night else 0.6):
                            draw.rectangle((wx, wy, wx + 4, wy + 6), fill=lit)
                        wx += 10
                    wy += 13
            x += w + rng.random() * 12


def _bars(
    draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int, top: _RGB, bottom: _RGB
) -> None:
    base = height * 0.86
    count = 5 + rng.randrange(6)
    gap = width * 0.7 / count
    left = width * 0.15
    hue = rng.random()
    draw.line((left - 10, base, width * 0.88, base), fill=_mix(bottom, (60, 60, 70), 0.6), width=3)
    value = 0.3 + rng.random() * 0.2
    tops = []
    for i in range(count):
        value = min(0.95, max(0.12, value + (rng.random() - 0.4) * 0.2))
        x0 = left + i * gap + gap * 0.15
        x1 = left + (i + 1) * gap - gap * 0.15
        y0 = base - value * height * 0.7
        colour = _hsv(hue + i * 0.02, 0.55, 0.75)
        draw.rounded_rectangle((x0, y0, x1, base), radius=max(2, int(gap * 0.08)), fill=colour)
        tops.append(((x0 + x1) / 2, y0 - height * 0.04))
    draw.line(tops, fill=_mix(top, (255, 255, 255), 0.7), width=4, joint="curve")
    for x, y in tops:
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(255, 255, 255))


def _sea(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    width: int,
    height: int,
    horizon: float,
    top: _RGB,
    bottom: _RGB,
    core: _RGB,
) -> None:
    near = _mix(bottom, (40, 110, 160), 0.55)
    deep = _mix(top, (18, 50, 96), 0.6)
    rows = 24
    for i in range(rows):  # banded water, darker towards the viewer
        y0 = horizon + (height - horizon) * i / rows
        y1 = horizon + (height - horizon) * (i + 1) / rows
        draw.rectangle((0, y0, width, y1 + 1), fill=_mix(near, deep, i / (rows - 1)))
    glint = _mix(near, core, 0.6)
    for _ in range(40):  # short wave highlights
        y = horizon + (height - horizon) * rng.random() ** 1.5
        x = rng.random() * width
        length = 12 + 50 * (y - horizon) / (height - horizon) * rng.random()
        draw.line((x, y, x + length, y), fill=glint, width=2)
