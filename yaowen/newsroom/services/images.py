"""Image uploads: checked and cleaned by `imaging`, stored with their resized variants."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile
from yaowen.core.errors import ApplicationError
from yaowen.core.imaging import ImageRejected, process_image
from yaowen.newsroom.models import ArticleImage

_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}


def image_upload(
    *, owner: CreatorProfile, data: bytes, alt: str, caption: str = ""
) -> ArticleImage:
    """Store an uploaded image, or refuse it with a clear message and store nothing.

    The type is sniffed from the content; EXIF is stripped; WebP and smaller variants are
    generated for `srcset`. Not one transaction: decoding, resizing and writing to the
    storage (a bucket on another machine, maybe) must not hold the database's write lock;
    the row is written last, and files written before a failure are removed.
    """
    try:
        processed = process_image(data, alt=alt)
    except ImageRejected as rejected:
        raise ApplicationError(str(rejected.message)) from rejected
    folder = timezone.now().strftime("images/%Y/%m")
    stem = f"{folder}/{processed.sha256[:20]}"
    saved: list[str] = []
    try:
        original = default_storage.save(
            f"{stem}.{_EXTENSIONS.get(processed.format, 'jpg')}", ContentFile(processed.original)
        )
        saved.append(original)
        variants = []
        for variant in processed.variants:
            extension = _EXTENSIONS.get(variant.format, "jpg")
            name = default_storage.save(
                f"{stem}-{variant.width}.{extension}", ContentFile(variant.content)
            )
            saved.append(name)
            variants.append(
                {
                    "width": variant.width,
                    "height": variant.height,
                    "format": variant.format,
                    "name": name,
                }
            )
        return ArticleImage.objects.create(
            owner=owner,
            file=original,
            width=processed.width,
            height=processed.height,
            alt=alt.strip()[:120],
            caption=caption.strip()[:120],
            sha256=processed.sha256,
            variants=variants,
        )
    except Exception:
        # Nothing half-stored: files written before a failure are removed again.
        for name in saved:
            default_storage.delete(name)
        raise
