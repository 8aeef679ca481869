"""What the reading site's templates can call about push (installed in levant24/jinja2.py)."""

from django.conf import settings


def push_public_key() -> str:
    """The VAPID public key, empty when push is off: the same for every reader."""
    if settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY:
        return settings.VAPID_PUBLIC_KEY
    return ""


def install(env) -> None:
    env.globals.update(push_public_key=push_public_key)
