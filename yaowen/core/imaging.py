"""Safe processing of uploaded images: sniff, bound, strip, orient, resize, re-encode.

Creators upload article figures, covers and avatars. Every upload is treated as hostile:

* The byte length is bounded (``MAX_BYTES``) before anything else looks at the data.
* The type is sniffed from the content by Pillow, restricted to the four allowed parsers, so
  no other Pillow plugin (EPS/Ghostscript, TIFF, BMP, ...) ever sees the bytes. File names and
  declared content types are never consulted. Camera "MPO" files (a JPEG followed by extra
  pictures) are treated as plain JPEG: only the first picture is kept.
* Decompression bombs are refused from the header's dimensions before any pixel is decoded
  (``MAX_PIXELS``, and ``MAX_SIDE`` because WebP cannot encode a longer side); Pillow's own
  bomb error/warning is mapped to the same rejection without touching
  ``Image.MAX_IMAGE_PIXELS``.
* Only pixels survive. The first frame is decoded (animated GIF/WebP/APNG keep only their first
  frame), EXIF orientation is applied, and every output is re-encoded from a fresh image with
  no metadata at all: no EXIF/GPS, XMP, IPTC, comments, text chunks or ICC profile. Dropping the
  ICC profile means wide-gamut (e.g. Display P3) photos are shown as if they were sRGB, which
  is slightly less saturated; this is accepted for simplicity. Re-encoding also destroys
  polyglot payloads appended to or hidden in the file.

Output formats:

* ``original`` is re-encoded in the sniffed format (``ProcessedImage.format``) except that a GIF
  becomes a PNG (``ProcessedImage.original_format``): a still of its first frame, palette and
  transparent index kept. JPEG quality 85; PNG keeps palette/grey modes; lossless WebP stays
  lossless.
* ``variants`` are, for each width in ``VARIANT_WIDTHS`` strictly smaller than the original
  width (never upscaled), a WebP and a fallback in the "same family": JPEG for JPEG inputs and
  for opaque lossy WebP, PNG for PNG, GIF, lossless WebP and WebP with transparency (JPEG never
  carries alpha). Then always one WebP at the original size. They are ordered by width,
  WebP before its fallback, with the full-size WebP last.

Everything is deterministic: the same bytes give the same ``ProcessedImage``. The function is
pure and does no I/O; storing the bytes is the caller's job. Callers should also refuse an
upload whose declared size exceeds ``MAX_BYTES`` before reading it into memory.
"""

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs above this, before decoding pixels
MAX_SIDE = 16_383  # the longest side libwebp can encode
VARIANT_WIDTHS = (480, 960, 1600)  # resized variants never upscale
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

JPEG_QUALITY = 85
WEBP_QUALITY = 80
WEBP_METHOD = 4

TOO_LARGE = _("图片不能超过 10 MB。")
NOT_AN_IMAGE = _("文件不是可识别的图片（支持 JPEG、PNG、WebP、GIF）。")
TOO_MANY_PIXELS = _("图片尺寸过大，可能是恶意文件，已拒绝。")
EMPTY = _("文件是空的。")
ALT_REQUIRED = _("请为图片填写替代文字（图片说明），方便视障读者。")

# The only Pillow parsers that may look at an upload.
_PARSERS = ("JPEG", "PNG", "WEBP", "GIF")
# Pillow reports JPEGs with multi-picture data (common from phone cameras) as "MPO".
_FORMAT_ALIASES = {"MPO": "JPEG"}
# GIF originals become a PNG still of the first frame (lossless, honest about being static).
_ORIGINAL_FORMATS = {"GIF": "PNG"}
# Modes each format can store natively; the original keeps them to stay compact.
_NATIVE_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "WEBP": {"L", "RGB", "RGBA"},
}
_SIXTEEN_BIT_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N"}


class ImageRejected(Exception):
    """An upload was refused; ``message`` is a user-facing Chinese sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "WEBP", "JPEG" or "PNG"
    content: bytes


@dataclass(frozen=True)
class ProcessedImage:
    width: int  # of `original`, after EXIF orientation was applied
    height: int
    format: str  # sniffed format of the upload: "JPEG", "PNG", "WEBP" or "GIF"
    original: bytes  # first frame, oriented, re-encoded in `original_format`, no metadata
    variants: list[Variant]
    sha256: str  # hex digest of `original`

    @property
    def original_format(self) -> str:
        """The format of `original`: the sniffed one, except a GIF's still is stored as PNG."""
        return _ORIGINAL_FORMATS.get(self.format, self.format)


def process_image(
    data: bytes, *, alt: str | None = None, require_alt: bool = True
) -> ProcessedImage:
    """Validate an uploaded image and produce clean bytes for storage.

    Raises ``ImageRejected`` with one of the message constants of this module; any other
    exception is a bug, not a property of the upload.
    """
    if not data:
        raise ImageRejected(EMPTY)
    if len(data) > MAX_BYTES:
        raise ImageRejected(TOO_LARGE)
    if require_alt and not (alt and alt.strip()):
        raise ImageRejected(ALT_REQUIRED)

    decoded, fmt = _decode(data)
    original_format = _ORIGINAL_FORMATS.get(fmt, fmt)
    lossless_webp = fmt == "WEBP" and _webp_is_lossless(data)
    work = _working_copy(decoded)
    original_image, transparency = _original_copy(decoded, original_format, work)
    del decoded

    if fmt == "JPEG" or (fmt == "WEBP" and not lossless_webp and work.mode != "RGBA"):
        fallback_format = "JPEG"
    else:
        fallback_format = "PNG"

    if transparency is not None:
        original = _encode(original_image, original_format, transparency=transparency)
    elif lossless_webp:
        original = _encode(original_image, original_format, lossless=True)
    else:
        original = _encode(original_image, original_format)
    del original_image

    # Resize in a cascade, largest first: each step shrinks by at most ~2.5x from an already
    # smaller image, which is much faster than resampling the full image three times.
    variants: list[Variant] = []
    source = work
    for width in sorted((w for w in VARIANT_WIDTHS if w < work.width), reverse=True):
        height = max(1, round(work.height * width / work.width))
        source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        pair = [
            Variant(width, height, "WEBP", _encode(source, "WEBP")),
            Variant(width, height, fallback_format, _encode(source, fallback_format)),
        ]
        variants[:0] = pair
    # Lossy WebP uploads: `original` was encoded from the same pixels with the same settings.
    reuse = fmt == "WEBP" and not lossless_webp
    full_webp = original if reuse else _encode(work, "WEBP")
    variants.append(Variant(work.width, work.height, "WEBP", full_webp))

    return ProcessedImage(
        width=work.width,
        height=work.height,
        format=fmt,
        original=original,
        variants=variants,
        sha256=hashlib.sha256(original).hexdigest(),
    )


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Sniff, bound and decode the first frame, EXIF orientation applied."""
    with warnings.catch_warnings():
        # Escalate Pillow's own bomb warning locally; Image.MAX_IMAGE_PIXELS stays untouched.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe, _fmt = _open_header(data)
            probe.verify()  # structural checks (PNG CRCs, ...); invalidates `probe`
            image, fmt = _open_header(data)
            image.load()  # decodes only the current, i.e. first, frame
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(TOO_MANY_PIXELS) from exc
        except Exception as exc:
            # Pillow may raise almost anything on malformed input (OSError, SyntaxError,
            # ValueError, struct.error, EOFError, zlib.error, ...): all mean "not an image".
            raise ImageRejected(NOT_AN_IMAGE) from exc
    # Unreadable EXIF only loses the orientation hint; the metadata is dropped anyway.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    return image, fmt


def _open_header(data: bytes) -> tuple[Image.Image, str]:
    """Open (header only) with the allowed parsers and check the dimensions."""
    image = Image.open(io.BytesIO(data), formats=_PARSERS)
    fmt = _FORMAT_ALIASES.get(image.format or "", image.format)
    if fmt not in ALLOWED_FORMATS:
        raise ImageRejected(NOT_AN_IMAGE)
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(NOT_AN_IMAGE)
    if width * height > MAX_PIXELS or width > MAX_SIDE or height > MAX_SIDE:
        raise ImageRejected(TOO_MANY_PIXELS)
    return image, fmt


def _original_copy(image: Image.Image, fmt: str, work: Image.Image) -> tuple[Image.Image, object]:
    """The image to re-encode as `original`, and the transparency to pass to its encoder.

    `fmt` is the format `original` is encoded in. Modes it stores natively (palette, grey,
    1-bit) are kept so that re-encoding does not bloat diagrams and screenshots; the copy
    carries pixels and palette, no metadata.
    """
    if image.mode == work.mode or fmt == "WEBP" or image.mode not in _NATIVE_MODES[fmt]:
        return work, None
    clean = image.copy()
    clean.info = {}
    keeps_key = image.mode in ("1", "L", "P", "RGB")  # colour-key transparency (tRNS/GIF)
    return clean, image.info.get("transparency") if keeps_key else None


def _working_copy(image: Image.Image) -> Image.Image:
    """A fresh L, RGB or RGBA image (RGBA only with real transparency), no metadata."""
    if image.mode in _SIXTEEN_BIT_MODES:
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode == "P":
        # Pillow's P -> RGBA conversion writes the transparency into the *source's* palette
        # (which broke GIF re-encoding); keep the image used for `original` untouched.
        image = image.copy()
    if image.has_transparency_data:
        work = image.convert("RGBA")
        if work.getchannel("A").getextrema() == (255, 255):
            work = work.convert("RGB")
    elif image.mode == "L":
        work = image.copy()
    else:
        work = image.convert("RGB")  # CMYK, P, 1, YCbCr, ...
    work.info = {}
    return work


def _encode(image: Image.Image, fmt: str, **extra: object) -> bytes:
    """Encode with fixed settings and no metadata parameters."""
    if fmt == "JPEG":
        options: dict[str, object] = {"quality": JPEG_QUALITY, "optimize": True}
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
    elif fmt == "WEBP":
        options = {"quality": WEBP_QUALITY, "method": WEBP_METHOD}
    else:
        options = {}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options, **extra)
    return buffer.getvalue()


def _webp_is_lossless(data: bytes) -> bool:
    """Whether a WebP's (first) bitstream is VP8L, by walking the RIFF chunks."""
    position = 12  # after "RIFF", size, "WEBP"
    for _chunk in range(64):  # real files need a handful; never walk hostile chunk floods
        if position + 8 > len(data):
            break
        fourcc = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        if fourcc == b"VP8L":
            return True
        if fourcc == b"VP8 ":
            return False
        if fourcc == b"ANMF":
            position += 8 + 16  # descend into the frame: its header, then its sub-chunks
        else:
            position += 8 + size + (size & 1)
    return False
