"""Who needs a second factor to open the admin, and what a user has enrolled.

Reads only; the writes (enrolment, recovery codes, revoking, reset) are in
``accounts.services``. django-otp keeps the devices: an authenticator app is a
``TOTPDevice``, the recovery codes are the tokens of one ``StaticDevice``.
"""

import base64
from io import BytesIO

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Names allowed in TWO_FACTOR_REQUIRED_ROLES besides the newsroom roles (accounts.roles).
SUPERUSER = "superuser"
ALL_STAFF = "staff"

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"

# The key that counts wrong codes in the sign-in lockout and pacing. Usernames cannot
# contain ":", so it never names a real account; a correct password does not reset it.
_LOCKOUT_PREFIX = "second-factor:"


def required_roles() -> set[str]:
    return set(settings.TWO_FACTOR_REQUIRED_ROLES)


def second_factor_required(user) -> bool:
    """The site requires this staff member to sign in with a second factor."""
    roles = required_roles()
    if not roles or not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if ALL_STAFF in roles or (user.is_superuser and SUPERUSER in roles):
        return True
    group_roles = roles - {SUPERUSER, ALL_STAFF}
    return bool(group_roles) and user.groups.filter(name__in=group_roles).exists()


def authenticators(user):
    """The user's confirmed authenticator apps, oldest first."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk")


def has_authenticator(user) -> bool:
    return user.is_authenticated and authenticators(user).exists()


def second_factor_needed(user) -> bool:
    """True when the admin must ask this user for a code: the site requires it, or the user
    enrolled an authenticator of their own accord. Remembered on the user object, since the
    admin asks several times per page."""
    if not user.is_authenticated:
        return False
    needed = getattr(user, "_second_factor_needed", None)
    if needed is None:
        needed = has_authenticator(user) or second_factor_required(user)
        user._second_factor_needed = needed
    return needed


def is_verified(user) -> bool:
    """This session was confirmed with a code (django-otp's middleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_satisfied(user) -> bool:
    """The signed-in user may act as staff: verified, or not asked for a second factor."""
    return is_verified(user) or not second_factor_needed(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).first()


def lockout_key(user) -> str:
    """The "username" under which wrong codes are counted by the lockout and the pacing."""
    return _LOCKOUT_PREFIX + user.get_username()


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_code(code: str) -> str:
    """What people type: spaces and dashes between groups, any case, Arabic-Indic digits."""
    code = code.translate(_DIGITS)
    return "".join(ch for ch in code if ch.isalnum()).lower()


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, for an <img src>."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
