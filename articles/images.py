"""Image upload checks and responsive renditions."""

import contextlib
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_upload(file) -> None:
    """Refuse files that are not images, too large, truncated or decompression bombs.

    Only a new upload is checked: the model runs its validators again on every save, and
    the file already in storage passed them when it arrived (its closed file cannot be
    read here, which would refuse any later edit of the article).
    """
    if getattr(file, "_committed", False):
        return
    size = getattr(file, "size", None)
    if size is not None and size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit_mb = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("The image is too large: the limit is %(limit)s MB."),
            code="too_large",
            params={"limit": limit_mb},
        )
    try:
        with _opened(file) as img:
            width, height = img.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (%(width)s×%(height)s)."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            if img.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Unsupported image format. Use JPEG, PNG, WebP or GIF."),
                    code="format",
                )
            img.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a valid image or it is damaged."), code="invalid_image"
        ) from None


@contextlib.contextmanager
def _opened(file):
    """``file`` opened by Pillow from its start, and left where it was afterwards."""
    try:
        position = file.tell()
    except (AttributeError, OSError, ValueError):
        position = None
    try:
        file.seek(0)
        with Image.open(file) as img:
            yield img
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                file.seek(position)


FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_format(file) -> str | None:
    """The format Pillow finds in the file's bytes (its name and type say nothing)."""
    try:
        with _opened(file) as img:
            return img.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def featured_image_path(instance, filename: str) -> str:
    """``articles/<year>/<month>/<random>.<extension>``; the extension comes from
    ``articles.fields.RenamedImageField``, which names it after the image's real format."""
    extension = PurePosixPath(filename).suffix.lower() or ".bin"
    return f"articles/{timezone.now():%Y/%m}/{secrets.token_urlsafe(12)}{extension}"


# Responsive renditions ------------------------------------------------------
# Made once, at upload, by a task (articles.tasks.make_renditions): each width in WebP and in
# the original's format (JPEG stays JPEG; PNG and GIF give PNG). Pages never make one: until
# the task has run they show the original.

RENDITION_WIDTHS = (320, 640, 960, 1280, 1600)
RENDITION_QUALITY = 80
_RENDITION_CACHE_PREFIX = "articles:rendition:v2:"
# A page that found no renditions asks the database again after this many seconds (the
# task also stores its result in the cache as soon as it is done).
_MISSING_SECONDS = 300
_MISSING = "missing"
# Format of the original -> (Pillow format, extension) of its same-format renditions.
_FALLBACK_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "GIF": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
}


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ResponsiveImage:
    """The original's size and its renditions, narrowest first: WebP, and the same widths
    in the original's format for browsers without WebP."""

    src: str
    width: int
    height: int
    renditions: tuple[Rendition, ...]
    fallbacks: tuple[Rendition, ...] = ()

    @property
    def srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)

    @property
    def fallback_srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.fallbacks)


def rendition_name(name: str, width: int, extension: str = "webp") -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}w.{extension}")


def _cache_key(name: str) -> str:
    return _RENDITION_CACHE_PREFIX + hashlib.sha256(name.encode()).hexdigest()


def _save_resized(storage, img, name, size, pil_format) -> None:
    if storage.exists(name):  # made by an earlier run of the task
        return
    resized = img.resize(size, Image.Resampling.LANCZOS)
    if pil_format == "JPEG" and resized.mode != "RGB":
        resized = resized.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": RENDITION_QUALITY}
    if pil_format == "WEBP":
        options["method"] = 4
    elif pil_format == "JPEG":
        options["optimize"] = True
    else:
        options = {"optimize": True}
    resized.save(buffer, pil_format, **options)
    storage.save(name, ContentFile(buffer.getvalue()))


def renditions_make(storage, name: str) -> ResponsiveImage | None:
    """Write every rendition of the stored image ``name`` (those already there are kept)
    and record them. The task's work; safe to repeat. None when the file cannot be read."""
    from .models import ImageRenditions

    try:
        with storage.open(name, "rb") as fh, Image.open(fh) as img:
            original_format = img.format
            img = ImageOps.exif_transpose(img)
            width, height = img.size
            if img.mode not in ("RGB", "RGBA"):
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            pil_format, extension = _FALLBACK_FORMATS.get(original_format, ("PNG", "png"))
            sizes = []
            # Every standard width below the original, then the original (capped).
            widths = [w for w in RENDITION_WIDTHS if w < width]
            widths.append(min(width, RENDITION_WIDTHS[-1]))
            for target in widths:
                size = (target, max(1, round(height * target / width)))
                _save_resized(storage, img, rendition_name(name, target), size, "WEBP")
                if extension != "webp":
                    _save_resized(
                        storage, img, rendition_name(name, target, extension), size, pil_format
                    )
                sizes.append(list(size))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.warning("renditions failed for %s", name, exc_info=True)
        return None
    record, _created = ImageRenditions.objects.update_or_create(
        name=name,
        defaults={"width": width, "height": height, "sizes": sizes, "extension": extension},
    )
    image = _responsive_from(record, storage)
    cache.set(_cache_key(name), image, timeout=60 * 60 * 24 * 30)
    return image


def _responsive_from(record, storage) -> ResponsiveImage:
    webp, fallbacks = [], []
    for width, height in record.sizes:
        webp.append(Rendition(storage.url(rendition_name(record.name, width)), width, height))
        fallbacks.append(
            Rendition(
                storage.url(rendition_name(record.name, width, record.extension)), width, height
            )
        )
    return ResponsiveImage(
        storage.url(record.name), record.width, record.height, tuple(webp), tuple(fallbacks)
    )


def renditions_wanted(name: str) -> bool:
    """True when the renditions of ``name`` are not known to exist and no task was queued
    for them in the last ten minutes (cache only; no query, no file access)."""
    found = cache.get(_cache_key(name))
    if found is not None and found != _MISSING:
        return False
    return cache.add(_cache_key(name) + ":queued", 1, timeout=600)


def responsive_image(field_file) -> ResponsiveImage | None:
    """The renditions of an uploaded image, or None while they are not made yet (the page
    then shows the original). Reads the cache, then the database; never makes an image."""
    from .models import ImageRenditions

    if not field_file or not field_file.name:
        return None
    key = _cache_key(field_file.name)
    found = cache.get(key)
    if found is None:
        record = ImageRenditions.objects.filter(name=field_file.name).first()
        if record is None:
            cache.set(key, _MISSING, timeout=_MISSING_SECONDS)
            return None
        found = _responsive_from(record, field_file.storage)
        cache.set(key, found, timeout=60 * 60 * 24 * 30)
    return None if found == _MISSING else found
