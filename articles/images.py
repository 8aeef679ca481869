"""Image upload checks and responsive renditions."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_upload(file) -> None:
    """Refuse files that are not images, too large, truncated or decompression bombs."""
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
