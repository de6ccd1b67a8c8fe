"""Pure tests of the generated demo images: formats, sizes, determinism and variety."""

import io

import pytest
from PIL import Image, ImageOps

from yaowen.demo.images import avatar_png, figure_srcset_sizes, figure_webp


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("size", [128, 64, 200])
def test_avatar_is_a_png_of_the_requested_size(size: int) -> None:
    image = _open(avatar_png(7, size=size))
    assert image.format == "PNG"
    assert image.size == (size, size)


def test_avatar_is_left_right_symmetric() -> None:
    for seed in range(10):
        image = _open(avatar_png(seed)).convert("RGB")
        assert image.tobytes() == ImageOps.mirror(image).tobytes()


def test_avatar_is_deterministic_and_varies_by_seed() -> None:
    assert avatar_png(42) == avatar_png(42)
    assert len({avatar_png(seed) for seed in range(20)}) == 20


def test_figure_is_a_webp_of_the_requested_size() -> None:
    data = figure_webp(3)
    image = _open(data)
    assert image.format == "WEBP"
    assert image.size == (960, 540)
    assert 8_000 <= len(data) <= 150_000
    assert _open(figure_webp(3, width=480, height=270)).size == (480, 270)


def test_figure_is_deterministic_and_varies_by_seed() -> None:
    assert figure_webp(11) == figure_webp(11)
    assert len({figure_webp(seed, width=320, height=180) for seed in range(12)}) == 12


def test_srcset_sizes_are_ascending_widths() -> None:
    sizes = figure_srcset_sizes()
    assert sizes and all(isinstance(width, int) and width > 0 for width in sizes)
    assert list(sizes) == sorted(set(sizes))
