"""Media on S3-compatible object storage (``MEDIA_STORAGE=s3``), and the image origin that
the Content-Security-Policy allows.

Every object is written with headers the storage serves back to browsers and CDNs:

- ``Content-Type`` from the file's extension, never from the uploading browser's claim
  (uploaded images are renamed after their real format, articles/fields.py);
- ``Cache-Control``: names are random and renditions are derived from them, so an object
  never changes under its name and may be kept for a year (``MEDIA_CACHE_CONTROL``);
- ``Content-Disposition``: ``inline`` for the raster image types we accept, ``attachment``
  for anything else (an SVG or HTML file opened from our bucket must not run as a page).
"""

from __future__ import annotations

import functools
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage

INLINE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def object_headers(name: str) -> dict:
    """The S3 write parameters (``ContentType`` and friends) for an object called ``name``."""
    extension = PurePosixPath(name).suffix.lower()
    content_type = INLINE_TYPES.get(extension)
    return {
        "ContentType": content_type or "application/octet-stream",
        "CacheControl": settings.MEDIA_CACHE_CONTROL,
        "ContentDisposition": "inline" if content_type else "attachment",
    }


class MediaStorage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        params.update(object_headers(name))
        return params


def media_image_sources() -> tuple[str, ...]:
    """``CSP_IMG_SOURCES`` plus the origin media URLs point at, when it is another host."""
    origin = _origin_of(storages["default"])
    extra = (origin,) if origin and origin not in settings.CSP_IMG_SOURCES else ()
    return (*settings.CSP_IMG_SOURCES, *extra)


@functools.lru_cache(maxsize=4)
def _origin_of(storage) -> str | None:
    # Asked of the storage itself: whatever endpoint, bucket addressing or CDN domain it uses.
    parts = urlsplit(storage.url("csp-origin.jpg"))
    if not parts.netloc:
        return None  # served from our own host (MEDIA_URL "/media/")
    return f"{parts.scheme}://{parts.netloc}"
