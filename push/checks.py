"""A push setup that cannot work is refused at start, not found out at the first breaking
line."""

import base64

from django.conf import settings
from django.core.checks import Error, register


@register()
def vapid_settings(app_configs=None, **kwargs):
    public, private = settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY
    if not public and not private:
        return []  # push is off
    if not (public and private):
        return [
            Error(
                "Only one of VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY is set.",
                hint="Set both (python manage.py vapid_keys prints a pair) or neither.",
                id="push.E001",
            )
        ]
    errors = []
    try:
        from cryptography.hazmat.primitives import serialization
        from py_vapid import Vapid

        derived = Vapid.from_string(private).public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        matches = base64.urlsafe_b64encode(derived).rstrip(b"=").decode() == public.rstrip("=")
    except Exception:
        matches = False
    if not matches:
        errors.append(
            Error(
                "VAPID_PRIVATE_KEY is not a valid key or does not match VAPID_PUBLIC_KEY.",
                hint="Use the lines python manage.py vapid_keys prints.",
                id="push.E002",
            )
        )
    if not settings.VAPID_SUBJECT.startswith(("mailto:", "https://")):
        errors.append(
            Error(
                "VAPID_SUBJECT must be a mailto: or https: address.",
                hint="Push services refuse other subjects.",
                id="push.E003",
            )
        )
    return errors
