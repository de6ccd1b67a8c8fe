"""Uploaded images are sniffed, bounded, stripped of metadata, oriented and resized."""

import hashlib
import struct
import warnings
import zlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms

from yaowen.core.imaging import (
    ALT_REQUIRED,
    EMPTY,
    MAX_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    NOT_AN_IMAGE,
    TOO_LARGE,
    TOO_MANY_PIXELS,
    ImageRejected,
    ProcessedImage,
    process_image,
)

SECRET = "ZhangSanSecretArtist"
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


# --- building test images in memory -------------------------------------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(width: int = 640, height: int = 480, mode: str = "RGB") -> Image.Image:
    """A small image with some structure, so encoders have real work to do."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    image.paste(Image.new(mode, (width // 4, height // 4), "orange"), (width // 8, height // 8))
    return image


def jpeg(width: int = 640, height: int = 480, **options) -> bytes:
    return encode(photo(width, height), "JPEG", quality=90, **options)


def png(width: int = 640, height: int = 480, **options) -> bytes:
    return encode(photo(width, height), "PNG", **options)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = SECRET
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 30.0)
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def handmade_png(width: int, height: int, idat: bytes) -> bytes:
    """A structurally valid PNG whose header claims any size, with whatever IDAT we like."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def handmade_gif(width: int, height: int) -> bytes:
    """A GIF whose logical screen claims any size, with a single 1x1 image."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return header + frame + b"\x3b"


def opened(content: bytes) -> Image.Image:
    image = Image.open(BytesIO(content))
    image.load()
    return image


def rejection(data: bytes, **kwargs) -> str:
    kwargs.setdefault("alt", "图片说明")
    with pytest.raises(ImageRejected) as caught:
        process_image(data, **kwargs)
    return str(caught.value.message)


def process(data: bytes) -> ProcessedImage:
    return process_image(data, alt="图片说明")


def all_outputs(result: ProcessedImage) -> list[tuple[str, bytes]]:
    return [(result.format, result.original)] + [(v.format, v.content) for v in result.variants]


# --- size and alt text, before any decoding ----------------------------------------------


def test_empty_file_is_rejected():
    assert rejection(b"") == str(EMPTY)


def test_file_over_ten_megabytes_is_rejected_on_length_alone():
    assert rejection(b"\xff\xd8" + b"\0" * MAX_BYTES) == str(TOO_LARGE)


def test_exactly_ten_megabytes_passes_the_size_check():
    assert rejection(b"\0" * MAX_BYTES) == str(NOT_AN_IMAGE)


def test_size_is_checked_before_alt_text():
    assert rejection(b"\0" * (MAX_BYTES + 1), alt=None) == str(TOO_LARGE)
    assert rejection(b"", alt=None) == str(EMPTY)


@pytest.mark.parametrize("alt", [None, "", "   ", "\u3000\n\t"])
def test_alt_text_is_required_by_default(alt):
    assert rejection(jpeg(), alt=alt) == str(ALT_REQUIRED)


def test_alt_text_is_checked_before_decoding():
    assert rejection(b"not an image at all", alt=" ") == str(ALT_REQUIRED)


def test_alt_text_can_be_optional():
    result = process_image(jpeg(), require_alt=False)
    assert result.format == "JPEG"


def test_rejection_carries_the_message_as_exception_text():
    with pytest.raises(ImageRejected) as caught:
        process_image(b"", alt="说明")
    assert caught.value.message is EMPTY
    assert str(caught.value) == str(EMPTY) == "文件是空的。"


# --- type sniffing ---------------------------------------------------------------------------


NOT_IMAGES = {
    "text renamed .jpg": "这不是图片，只是改了扩展名的文本。\n".encode(),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
    "svg with xml prolog": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    "html": b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
    "pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    "eps (ghostscript)": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
    "bmp": encode(photo(32, 32), "BMP"),
    "tiff": encode(photo(32, 32), "TIFF"),
    "ico": encode(photo(32, 32), "ICO"),
    "jpeg magic only": b"\xff\xd8\xff\xe0",
    "png signature only": b"\x89PNG\r\n\x1a\n",
    "truncated jpeg": jpeg()[:2000],
    "truncated png": png()[:-40],
    "truncated gif": encode(photo(64, 64).convert("P"), "GIF")[:300],
    "png with bad crc": png()[:60] + bytes([png()[60] ^ 0xFF]) + png()[61:],
    # Decoding stops after the pixels; only verify() reads and checks the chunks after them.
    "png with corrupt trailing chunk": png()[:-12]
    + png_chunk(b"tEXt", b"k\0v")[:-1]
    + b"\x00"
    + png()[-12:],
}


@pytest.mark.parametrize("data", NOT_IMAGES.values(), ids=NOT_IMAGES.keys())
def test_anything_but_the_four_allowed_formats_is_not_an_image(data):
    assert rejection(data) == str(NOT_AN_IMAGE)


def test_only_the_four_allowed_parsers_ever_see_the_bytes(monkeypatch):
    Image.init()
    seen = []
    for fmt, (factory, accept) in list(Image.OPEN.items()):
        if fmt not in {"JPEG", "PNG", "WEBP", "GIF"}:

            def spy(fp, filename, _fmt=fmt, _factory=factory):
                seen.append(_fmt)
                return _factory(fp, filename)

            monkeypatch.setitem(Image.OPEN, fmt, (spy, accept))
    for name in ("bmp", "tiff", "ico", "eps (ghostscript)", "pdf"):
        assert rejection(NOT_IMAGES[name]) == str(NOT_AN_IMAGE)
    assert seen == []


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (jpeg(), "JPEG"),
        (png(), "PNG"),
        (encode(photo(), "WEBP"), "WEBP"),
        (encode(photo().convert("P"), "GIF"), "GIF"),
    ],
)
def test_allowed_formats_are_sniffed_from_content(data, fmt):
    result = process(data)
    assert result.format == fmt
    assert result.original_format == ("PNG" if fmt == "GIF" else fmt)
    assert opened(result.original).format == result.original_format
    assert (result.width, result.height) == (640, 480)


def test_camera_mpo_is_treated_as_a_plain_jpeg_of_its_first_picture():
    pictures = [photo(), Image.new("RGB", (640, 480), BLUE)]
    data = encode(pictures[0], "MPO", save_all=True, append_images=pictures[1:])
    assert Image.open(BytesIO(data)).format == "MPO"
    result = process(data)
    assert result.format == "JPEG"
    original = opened(result.original)
    assert original.format == "JPEG"
    assert getattr(original, "n_frames", 1) == 1


# --- decompression bombs ---------------------------------------------------------------------


def test_png_header_claiming_sixty_thousand_square_is_refused_without_decoding():
    bomb = handmade_png(60_000, 60_000, zlib.compress(b"\0" * 1024))
    assert rejection(bomb) == str(TOO_MANY_PIXELS)


def test_pixel_limit_is_checked_from_the_header_before_pixels_are_decoded():
    # Over MAX_PIXELS but under Pillow's own limit, with an IDAT that cannot be decoded: had the
    # pixels been decoded first this would be NOT_AN_IMAGE.
    assert MAX_PIXELS < 7000 * 7000 < Image.MAX_IMAGE_PIXELS
    bomb = handmade_png(7000, 7000, b"definitely not zlib data")
    assert rejection(bomb) == str(TOO_MANY_PIXELS)


def test_gif_logical_screen_bomb_is_refused():
    assert rejection(handmade_gif(65_535, 65_535)) == str(TOO_MANY_PIXELS)


def test_side_longer_than_webp_can_encode_is_refused():
    data = encode(Image.new("1", (MAX_SIDE + 1, 10)), "PNG")
    assert rejection(data) == str(TOO_MANY_PIXELS)


def test_just_under_the_limits_is_accepted():
    result = process(encode(Image.new("1", (MAX_SIDE, 4)), "PNG"))
    assert result.width == MAX_SIDE


@pytest.mark.parametrize("size", [(15, 10), (20, 20)], ids=["pillow warning", "pillow error"])
def test_pillow_bomb_warning_and_error_become_too_many_pixels(monkeypatch, size):
    data = encode(photo(*size), "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 150 px warns, 400 px (> 2x) errors
    filters_before = list(warnings.filters)
    assert rejection(data) == str(TOO_MANY_PIXELS)
    assert warnings.filters == filters_before


def test_pillow_global_limit_is_left_alone():
    limit = Image.MAX_IMAGE_PIXELS
    process(jpeg())
    assert limit == Image.MAX_IMAGE_PIXELS


# --- variants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (2000, [480, 480, 960, 960, 1600, 1600, 2000]),
        (1600, [480, 480, 960, 960, 1600]),
        (1000, [480, 480, 960, 960, 1000]),
        (960, [480, 480, 960]),
        (300, [300]),
    ],
)
def test_variant_widths_never_upscale(width, expected):
    result = process(jpeg(width, width // 2))
    assert [v.width for v in result.variants] == expected
    for variant in result.variants:
        assert variant.height == round(width // 2 * variant.width / width)
        image = opened(variant.content)
        assert image.format == variant.format
        assert image.size == (variant.width, variant.height)


def test_variants_pair_webp_with_a_fallback_and_end_with_full_size_webp():
    result = process(jpeg(1000, 500))
    assert [v.format for v in result.variants] == ["WEBP", "JPEG", "WEBP", "JPEG", "WEBP"]
    assert (result.variants[-1].width, result.variants[-1].height) == (1000, 500)


@pytest.mark.parametrize(
    ("data", "fallback"),
    [
        (jpeg(1000, 500), "JPEG"),
        (encode(photo(1000, 500), "WEBP", quality=80), "JPEG"),
        (png(1000, 500), "PNG"),
        (encode(photo(1000, 500).convert("P"), "GIF"), "PNG"),
        (encode(photo(1000, 500), "WEBP", lossless=True), "PNG"),
        (encode(photo(1000, 500, "RGBA"), "WEBP", quality=80), "JPEG"),  # opaque alpha
    ],
    ids=["jpeg", "lossy webp", "png", "gif", "lossless webp", "lossy webp, opaque alpha"],
)
def test_fallback_variant_stays_in_the_same_family(data, fallback):
    result = process(data)
    assert {v.format for v in result.variants} == {"WEBP", fallback}


def test_lossless_webp_stays_lossless_and_lossy_webp_is_encoded_once():
    lossless = process(encode(photo(), "WEBP", lossless=True))
    assert b"VP8L" in lossless.original[:64]
    lossy = process(encode(photo(), "WEBP", quality=90))
    assert b"VP8 " in lossy.original[:64]
    assert lossy.variants[-1].content == lossy.original


def test_png_transparency_is_kept_in_webp_and_png_variants():
    image = photo(1000, 500, "RGBA")
    image.putalpha(Image.linear_gradient("L").resize((1000, 500)))
    result = process(encode(image, "PNG"))
    assert opened(result.original).mode == "RGBA"
    assert {v.format for v in result.variants} == {"WEBP", "PNG"}
    for variant in result.variants:
        alpha = opened(variant.content).convert("RGBA").getchannel("A").getextrema()
        assert alpha[0] < 16 and alpha[1] > 240, variant


def test_fully_opaque_alpha_is_dropped_from_variants_only():
    result = process(encode(photo(1000, 500, "RGBA"), "PNG"))
    assert opened(result.original).mode == "RGBA"  # the original stays lossless
    assert {opened(v.content).mode for v in result.variants if v.format == "PNG"} == {"RGB"}


def test_lossy_webp_with_transparency_falls_back_to_png_not_jpeg():
    image = photo(1000, 500, "RGBA")
    image.putalpha(Image.linear_gradient("L").resize((1000, 500)))
    result = process(encode(image, "WEBP", quality=80))
    assert {v.format for v in result.variants} == {"WEBP", "PNG"}
    assert opened(result.variants[0].content).mode == "RGBA"


def test_palette_png_with_transparent_index_keeps_palette_and_transparency():
    image = Image.new("P", (600, 300), 1)
    image.putpalette([*RED, *GREEN, *BLUE] + [0] * (256 - 3) * 3)
    image.paste(0, (0, 0, 300, 300))  # left half uses index 0, which is transparent
    result = process(encode(image, "PNG", transparency=0))
    original = opened(result.original)
    assert original.mode == "P"
    assert original.convert("RGBA").getpixel((10, 10))[3] == 0
    assert original.convert("RGBA").getpixel((590, 10)) == (*GREEN, 255)
    webp = opened(result.variants[0].content).convert("RGBA")
    assert webp.getpixel((10, 10))[3] == 0
    assert webp.getpixel((470, 10))[3] == 255


@pytest.mark.parametrize(("mode", "key"), [("L", 7), ("RGB", RED)])
def test_colour_key_transparency_is_kept_in_the_original(mode, key):
    image = Image.new(mode, (600, 300), "white")
    image.paste(key, (0, 0, 300, 300))
    result = process(encode(image, "PNG", transparency=key))
    original = opened(result.original)
    assert original.mode == mode
    assert original.convert("RGBA").getpixel((10, 10))[3] == 0
    assert original.convert("RGBA").getpixel((590, 10))[3] == 255
    assert opened(result.variants[-1].content).convert("RGBA").getpixel((10, 10))[3] == 0


def test_gif_transparent_index_is_kept_and_variants_are_png_with_alpha():
    image = Image.new("P", (600, 300), 1)
    image.putpalette([*RED, *GREEN, *BLUE] + [0] * (256 - 3) * 3)
    image.paste(0, (0, 0, 300, 300))
    result = process(encode(image, "GIF", transparency=0))
    original = opened(result.original)
    assert original.format == result.original_format == "PNG"
    assert original.mode == "P"
    assert original.convert("RGBA").getpixel((10, 10))[3] == 0
    assert original.convert("RGBA").getpixel((590, 10)) == (*GREEN, 255)
    assert [v.format for v in result.variants] == ["WEBP", "PNG", "WEBP"]
    for variant in result.variants:
        assert opened(variant.content).convert("RGBA").getpixel((5, 5))[3] == 0


def test_jpeg_outputs_never_have_alpha_and_cmyk_becomes_rgb():
    cmyk = encode(photo(1000, 500).convert("CMYK"), "JPEG", quality=90)
    result = process(cmyk)
    for fmt, content in all_outputs(result):
        image = opened(content)
        assert image.mode == "RGB", fmt


def test_greyscale_jpeg_stays_greyscale():
    result = process(encode(photo(1000, 500, "L"), "JPEG"))
    assert opened(result.original).mode == "L"
    assert opened(result.variants[1].content).mode == "L"


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped():
    data = encode(Image.new("I;16", (100, 100), 40_000), "PNG")
    result = process(data)
    grey = opened(result.original).convert("L").getpixel((50, 50))
    assert grey == 40_000 // 256


# --- metadata and orientation ------------------------------------------------------------------


def assert_no_metadata(fmt: str, content: bytes) -> None:
    image = opened(content)
    assert not image.getexif(), fmt
    keys = {str(key).lower() for key in image.info}
    assert not any(word in key for key in keys for word in ("exif", "xmp", "icc", "comment")), (
        fmt,
        keys,
    )
    assert SECRET.encode() not in content, fmt
    assert b"Exif" not in content, fmt
    assert b"GPS" not in content, fmt


def test_exif_gps_xmp_icc_and_comment_are_stripped_from_jpeg():
    data = jpeg(
        1000,
        500,
        exif=exif_with_gps(),
        icc_profile=srgb_icc(),
        comment=SECRET,
        xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SECRET}</x:xmpmeta>'.encode(),
    )
    source = Image.open(BytesIO(data))
    assert source.getexif()[ExifTags.Base.Artist] == SECRET
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" in source.info and "icc_profile" in source.info

    result = process(data)
    assert len(result.variants) == 5
    for fmt, content in all_outputs(result):
        assert_no_metadata(fmt, content)


def test_metadata_is_stripped_from_png_webp_and_gif():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", SECRET)
    text.add_itxt("Description", SECRET, zip=True)
    uploads = [
        png(exif=exif_with_gps(), icc_profile=srgb_icc(), pnginfo=text),
        encode(photo(), "WEBP", exif=exif_with_gps(), icc_profile=srgb_icc(), xmp=SECRET),
        encode(photo().convert("P"), "GIF", comment=SECRET),
    ]
    for data in uploads:
        assert SECRET.encode() in data
        for fmt, content in all_outputs(process(data)):
            assert_no_metadata(fmt, content)


def test_exif_orientation_is_applied_before_stripping():
    image = Image.new("RGB", (2, 1))
    image.putpixel((0, 0), RED)
    image.putpixel((1, 0), BLUE)
    result = process(encode(image, "PNG", exif=exif_with_gps(orientation=6)))
    assert (result.width, result.height) == (1, 2)
    original = opened(result.original)
    assert original.size == (1, 2)
    assert original.convert("RGB").getpixel((0, 0)) == RED  # rotated 90 degrees clockwise
    assert original.convert("RGB").getpixel((0, 1)) == BLUE
    assert_no_metadata(result.format, result.original)


def test_exif_orientation_is_applied_to_jpeg_and_its_variants():
    result = process(jpeg(2000, 1000, exif=exif_with_gps(orientation=6)))
    assert (result.width, result.height) == (1000, 2000)
    assert opened(result.original).size == (1000, 2000)
    assert [(v.width, v.height) for v in result.variants[::2]] == [
        (480, 960),
        (960, 1920),
        (1000, 2000),
    ]


def test_animated_gif_keeps_only_its_first_frame_as_a_png_still():
    frames = [Image.new("RGB", (600, 300), colour) for colour in (RED, GREEN, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(BytesIO(data)).n_frames == 3
    result = process(data)
    assert result.format == "GIF"
    original = opened(result.original)
    assert original.format == "PNG"
    assert getattr(original, "n_frames", 1) == 1
    assert original.convert("RGB").getpixel((10, 10)) == RED
    for variant in result.variants:
        assert opened(variant.content).convert("RGB").getpixel((10, 10))[0] > 240


def test_animated_webp_keeps_only_its_first_frame():
    frames = [Image.new("RGB", (600, 300), colour) for colour in (RED, GREEN, BLUE)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    result = process(data)
    original = opened(result.original)
    assert getattr(original, "n_frames", 1) == 1
    assert original.convert("RGB").getpixel((10, 10)) == RED


# --- determinism -------------------------------------------------------------------------------


def test_processing_is_deterministic_and_hashes_the_original():
    data = jpeg(1700, 900, exif=exif_with_gps())
    first, second = process(data), process(data)
    assert first == second
    assert first.sha256 == hashlib.sha256(first.original).hexdigest()
