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
        position = file.tell()
    except (AttributeError, OSError, ValueError):
        position = None
    try:
        file.seek(0)
        with Image.open(file) as img:
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
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                file.seek(position)


FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_format(file) -> str | None:
    """The format Pillow finds in the file's bytes (its name and type say nothing)."""
    try:
        position = file.tell()
    except (AttributeError, OSError, ValueError):
        position = None
    try:
        file.seek(0)
        with Image.open(file) as img:
            return img.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                file.seek(position)


def featured_image_path(instance, filename: str) -> str:
    """``articles/<year>/<month>/<random>.<extension>``; the extension comes from
    ``articles.fields.RenamedImageField``, which names it after the image's real format."""
    extension = PurePosixPath(filename).suffix.lower() or ".bin"
    return f"articles/{timezone.now():%Y/%m}/{secrets.token_urlsafe(12)}{extension}"


# Responsive renditions ------------------------------------------------------

RENDITION_WIDTHS = (320, 640, 960, 1280, 1600)
RENDITION_QUALITY = 80
_RENDITION_CACHE_PREFIX = "articles:rendition:v1:"


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ResponsiveImage:
    """The original's size and its WebP renditions, narrowest first."""

    src: str
    width: int
    height: int
    renditions: tuple[Rendition, ...]

    @property
    def srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}w.webp")


def _make_renditions(field_file) -> ResponsiveImage | None:
    storage = field_file.storage
    try:
        with storage.open(field_file.name, "rb") as fh, Image.open(fh) as img:
            img = ImageOps.exif_transpose(img)
            width, height = img.size
            if img.mode not in ("RGB", "RGBA"):
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            renditions = []
            # Every standard width below the original, then the original (capped).
            widths = [w for w in RENDITION_WIDTHS if w < width]
            widths.append(min(width, RENDITION_WIDTHS[-1]))
            for target in widths:
                target_height = max(1, round(height * target / width))
                name = rendition_name(field_file.name, target)
                if not storage.exists(name):
                    resized = img.resize((target, target_height), Image.Resampling.LANCZOS)
                    buffer = io.BytesIO()
                    resized.save(buffer, "WEBP", quality=RENDITION_QUALITY, method=4)
                    storage.save(name, ContentFile(buffer.getvalue()))
                renditions.append(Rendition(storage.url(name), target, target_height))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.warning("renditions failed for %s", field_file.name, exc_info=True)
        return None
    return ResponsiveImage(field_file.url, width, height, tuple(renditions))


def responsive_image(field_file) -> ResponsiveImage | None:
    """WebP renditions of an uploaded image, made on first use and then remembered."""
    if not field_file or not field_file.name:
        return None
    key = _RENDITION_CACHE_PREFIX + hashlib.sha256(field_file.name.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _make_renditions(field_file)
        if found is None:
            return None
        cache.set(key, found, timeout=60 * 60 * 24 * 30)
    return found
