"""Media on an S3-compatible object store: django-storages' S3Storage made for public media."""

from urllib.parse import quote

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# botocore's own quoting of a key in a URL path (the greedy {Key+} label).
_KEY_SAFE = "/~"


class PublicS3Storage(S3Storage):
    """S3Storage for media every reader fetches: unsigned URLs and no name ever overwritten.

    URLs end up in article bodies and cached pages, so they must not expire (no signatures);
    the bucket or the CDN in front of it (`custom_domain`) serves the objects publicly. Two
    applicants' `avatar.png` must stay two files, as on disk (`file_overwrite` off).
    """

    querystring_auth = False
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        # botocore builds an unsigned URL in ~70 µs and a list page shows dozens of covers and
        # avatars: the URL of every key is one prefix (asked of botocore once) plus the key.
        if parameters or http_method or self.querystring_auth or self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        prefix = self.__dict__.get("_url_prefix")
        if prefix is None:
            prefix = self.__dict__["_url_prefix"] = self._probe_prefix()
        if not prefix:
            return super().url(name, parameters, expire, http_method)
        return prefix + quote(self._normalize_name(clean_name(name)), safe=_KEY_SAFE)

    def _probe_prefix(self) -> str:
        """The part of every object URL before its key; "" when URLs do not have that shape."""
        key = self._normalize_name(clean_name("probe.png"))
        url = super().url("probe.png")
        tail = quote(key, safe=_KEY_SAFE)
        return url.removesuffix(tail) if url.endswith(tail) and "?" not in url else ""
