"""Account actions with side effects: creating readers, confirming email, mail, sign-in pacing."""

import logging
import re
import time
from hashlib import sha256

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.tasks import enqueue_after_commit

from . import two_factor
from .backends import canonical_login
from .ratelimits import limit_exceeded

User = get_user_model()
logger = logging.getLogger(__name__)

EMAIL_CONFIRMATION_SALT = "accounts.email-confirmation"


class EmailTaken(Exception):
    """Another account already uses this email address (compared without case)."""


# --- mail -------------------------------------------------------------------------------


def mail_render(*, template: str, context: dict) -> tuple[str, str, str]:
    """`<template>_subject.txt`, `<template>.txt` and `<template>.html`, rendered in the site
    language whatever language the caller runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), text, html


def mail_deliver(*, to: str, subject: str, text: str, html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], from_email=None)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def mail_send(*, to: str, template: str, context: dict) -> None:
    """Send the message of ``template`` now (the tasks that make links at send time)."""
    subject, text, html = mail_render(template=template, context=context)
    mail_deliver(to=to, subject=subject, text=text, html=html)


def mail_send_later(*, to: str, subject: str, text: str, html: str | None = None) -> None:
    """Hand a rendered message to the task queue, sent once the transaction commits:
    a mail server that is slow or down never holds up or fails the request."""
    from core.tasks import enqueue_after_commit

    from .tasks import send_rendered_mail

    enqueue_after_commit(send_rendered_mail, to, subject, text, html)


def mail_template_later(*, to: str, template: str, context: dict) -> None:
    subject, text, html = mail_render(template=template, context=context)
    mail_send_later(to=to, subject=subject, text=text, html=html)


# --- sign-up and email confirmation -----------------------------------------------------


def _username_from_email(email: str) -> str:
    """A free username derived from the email's local part (readers sign in by email)."""
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0], flags=re.ASCII)[:30] or "reader"
    candidate, n = base, 1
    while User._default_manager.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def user_signup(*, display_name: str, email: str, password: str) -> User:
    """Create a reader account (no staff rights, email not yet confirmed)."""
    email = User._default_manager.normalize_email(email.strip())
    if User._default_manager.filter(email__iexact=email).exists():
        raise EmailTaken(email)
    try:
        with transaction.atomic():
            user = User._default_manager.create_user(
                username=_username_from_email(email),
                email=email,
                password=password,
                display_name=display_name.strip(),
            )
    except IntegrityError as exc:  # lost a race with a simultaneous sign-up
        if User._default_manager.filter(email__iexact=email).exists():
            raise EmailTaken(email) from exc
        raise
    return user


SIGNUPS_PER_ADDRESS_PER_HOUR = 10


def signup_allowed(*, ip_address: str | None) -> bool:
    """Count a sign-up from this address; False once it made too many this hour.

    Every sign-up mails someone, so an unbounded form would let anyone mail strangers.
    """
    return not limit_exceeded(
        group="accounts.signup", value=ip_address, rate=f"{SIGNUPS_PER_ADDRESS_PER_HOUR}/h"
    )


def signup_request(*, display_name: str, email: str, password: str, base_url: str) -> User | None:
    """What the sign-up form does, the same way for every address typed.

    A new address gets an account and a confirmation link; an address that already has an
    account gets a note to its owner instead (at most one an hour), and no account. The
    caller answers the same in both cases, so the form tells nobody which addresses have an
    account. Returns the new account, or None.
    """
    try:
        user = user_signup(display_name=display_name, email=email, password=password)
    except EmailTaken:
        # As long as hashing the password for a new account: timing tells nothing either.
        make_password(password)
        owner = User._default_manager.filter(email__iexact=email.strip()).order_by("id").first()
        if owner is not None and cache.add(f"accounts:signup-existing:{owner.pk}", 1, 3600):
            mail_template_later(
                to=owner.email,
                template="accounts/email/signup_existing",
                context={
                    "user": owner,
                    "login_url": base_url.rstrip("/") + reverse("accounts:login"),
                    "reset_url": base_url.rstrip("/") + reverse("accounts:password_reset"),
                },
            )
        return None
    email_confirmation_send(user=user, base_url=base_url)
    return user


def password_reset_mail_allowed(*, user: User) -> bool:
    """At most one reset mail per account every two minutes, whoever asks (one atomic add in
    the shared cache: of several requests at once in several workers, one wins)."""
    return cache.add(f"accounts:reset-mail:{user.pk}", 1, timeout=120)


def _address_digest(email: str) -> str:
    # The link names the address by a keyed digest: the address itself stays out of URLs.
    return salted_hmac(EMAIL_CONFIRMATION_SALT, email.lower()).hexdigest()[:20]


def email_confirmation_token(*, user: User) -> str:
    """A signed, timestamped token naming the account and the address being confirmed."""
    return signing.TimestampSigner(salt=EMAIL_CONFIRMATION_SALT).sign_object(
        {"u": user.pk, "e": _address_digest(user.email)}
    )


def email_confirmation_send(*, user: User, base_url: str) -> None:
    """Queue the confirmation mail (sent after the commit); `base_url` is the site's
    scheme and host."""
    from .tasks import send_confirmation_email

    enqueue_after_commit(send_confirmation_email, user.pk, base_url)


def password_reset_mail_send(*, user: User, domain: str, protocol: str) -> None:
    """Queue the password-reset mail; the task makes the link when it runs."""
    from .tasks import send_password_reset_email

    enqueue_after_commit(send_password_reset_email, user.pk, domain, protocol)


def email_confirmation_mail(*, user: User, base_url: str) -> None:
    """Mail the confirmation link now (the task's work)."""
    path = reverse("accounts:confirm_email", kwargs={"token": email_confirmation_token(user=user)})
    mail_send(
        to=user.email,
        template="accounts/email/confirm_email",
        context={
            "user": user,
            "confirm_url": base_url.rstrip("/") + path,
            "valid_days": settings.EMAIL_CONFIRMATION_MAX_AGE // 86400,
        },
    )


def email_confirm(*, token: str) -> User | None:
    """Mark the account's email confirmed. None if the link is forged, expired or stale."""
    signer = signing.TimestampSigner(salt=EMAIL_CONFIRMATION_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    user = User._default_manager.filter(pk=data.get("u"), is_active=True).first()
    # A link sent before the address changed must not confirm the new address.
    if user is None or not constant_time_compare(_address_digest(user.email), data.get("e", "")):
        return None
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user


def email_confirmation_resend(*, user: User, base_url: str) -> bool:
    """Send a new link unless one went out in the last minute. True if sent."""
    if user.email_confirmed or not user.email:
        return False
    if not cache.add(f"accounts:confirm-resend:{user.pk}", 1, timeout=60):
        return False
    email_confirmation_send(user=user, base_url=base_url)
    return True


# --- sign-in pacing ----------------------------------------------------------------------
# django-axes locks one address out of one account after AXES_FAILURE_LIMIT failures (the
# pair, never the account everywhere: strangers cannot lock the real owner out). Before that,
# failures make the next attempt wait longer (1, 2, 4 ... seconds), counted for:
#   - the account and address together, from the second failure;
#   - the address alone (one machine guessing many accounts), after ADDRESS_FREE_FAILURES;
#   - the account alone (many machines guessing one account), after ACCOUNT_FREE_FAILURES,
#     for browsers that never signed in to it: a browser where the owner signed in before
#     carries a signed device cookie and is not slowed by what strangers do elsewhere.
# The wait is enforced by refusing early attempts, not by sleeping, so no server worker is
# held up; the counts live in the shared cache and are incremented atomically.

_MAX_WAIT = 60
ADDRESS_FREE_FAILURES = 10
ACCOUNT_FREE_FAILURES = 10
DEVICE_COOKIE = "signin_device"
DEVICE_SALT = "levant24.accounts.signin-device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_KEEP = 5


def _digest(*parts: str) -> str:
    return sha256("\n".join(parts).encode()).hexdigest()


def _pace_keys(*, login: str, ip_address: str | None, trusted: bool) -> list[tuple[str, int]]:
    """(cache key, failures allowed before the waits start) for each count that applies."""
    keys = []
    if login and ip_address:
        keys.append(("accounts:pace:pair:" + _digest(login, ip_address), 1))
    if ip_address:
        keys.append(("accounts:pace:ip:" + _digest(ip_address), ADDRESS_FREE_FAILURES))
    if login and not trusted:
        keys.append(("accounts:pace:user:" + _digest(login), ACCOUNT_FREE_FAILURES))
    return keys


def _wait_after(failures: int, free: int) -> float:
    base = settings.SIGNIN_SLOWDOWN_SECONDS
    if failures <= free or base <= 0:
        return 0.0
    return min(base * 2 ** (failures - free - 1), _MAX_WAIT)


def trusted_logins(request) -> list[str]:
    """The accounts that signed in successfully from this browser (its device cookie)."""
    raw = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not raw:
        return []
    try:
        logins = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return []
    return [name for name in logins if isinstance(name, str)] if isinstance(logins, list) else []


def signin_device_remember(*, request, response, user) -> None:
    """After a successful sign-in: this browser is one the account's owner uses."""
    login = user.get_username()
    logins = [name for name in trusted_logins(request) if name != login] + [login]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(logins[-DEVICE_KEEP:], salt=DEVICE_SALT, compress=True),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def signin_wait_seconds(*, login: str, ip_address: str | None, request=None) -> int:
    """Seconds before this attempt may be made (0: now)."""
    login = canonical_login(login)
    trusted = login in trusted_logins(request)
    now = time.time()
    wait = 0.0
    for key, free in _pace_keys(login=login, ip_address=ip_address, trusted=trusted):
        failures = cache.get(key) or 0
        if failures > free:
            last = cache.get(key + ":last") or 0.0
            wait = max(wait, last + _wait_after(failures, free) - now)
    return int(wait) + 1 if wait > 0 else 0


def signin_failure_record(*, login: str, ip_address: str | None, request=None) -> None:
    login = canonical_login(login)
    trusted = login in trusted_logins(request)
    now = time.time()
    timeout = int(settings.AXES_COOLOFF_TIME * 3600)
    for key, _free in _pace_keys(login=login, ip_address=ip_address, trusted=trusted):
        cache.add(key, 0, timeout=timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
        cache.set(key + ":last", now, timeout=timeout)


def signin_success_record(*, login: str, ip_address: str | None) -> None:
    """A correct password clears this address's count for the account (nothing else: the
    owner signing in says nothing about strangers guessing elsewhere)."""
    login = canonical_login(login)
    if login and ip_address:
        key = "accounts:pace:pair:" + _digest(login, ip_address)
        cache.delete_many([key, key + ":last"])


# --- two-factor sign-in -------------------------------------------------------------------
# django-otp keeps the devices; accounts.two_factor holds the rules that read them.


def totp_device_start(*, user: User):
    """The unconfirmed authenticator the user is adding: the same one (and the same secret)
    until they confirm it with a code, so reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="", confirmed=False)
    return device


def recovery_codes_generate(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; any older ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(
            user=user, name=two_factor.RECOVERY_DEVICE_NAME, confirmed=True
        )
        codes = [StaticToken.random_token() for _ in range(two_factor.RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """The user asked for new recovery codes: make them and tell the account owner."""
    codes = recovery_codes_generate(user=user)
    second_factor_notice_send(user=user, event="codes")
    return codes


def second_factor_notice_send(*, user: User, event: str) -> None:
    """Mail the account owner that their second factor changed ("added", "removed", "reset",
    "codes"): if it was not them, someone else knows their password."""
    if not user.email:
        return
    # Through the queue: the change itself is done and must not fail because mail is down.
    mail_template_later(
        to=user.email,
        template="accounts/email/two_factor_changed",
        context={"user": user, "event": event},
    )


def totp_device_confirm(*, device, token: str, name: str = "") -> list[str] | None:
    """Confirm a new authenticator with a code it shows. Returns the new recovery codes when
    this is the user's first authenticator, [] when they already had codes, None when the
    code is wrong."""
    codes = []
    with transaction.atomic():
        if not device.verify_token(two_factor.normalize_code(token)):
            return None
        first = not two_factor.authenticators(device.user).exists()
        device.confirmed = True
        device.name = name.strip()[:64]
        device.save(update_fields=["confirmed", "name"])
        if first or two_factor.recovery_device(device.user) is None:
            codes = recovery_codes_generate(user=device.user)
    second_factor_notice_send(user=device.user, event="added")
    return codes


def second_factor_verify(*, user: User, token: str):
    """The device that accepts this code (a six-digit code from an authenticator, or a
    recovery code, which is then used up), or None. A code is accepted once only: django-otp
    remembers the last time step each authenticator accepted."""
    token = two_factor.normalize_code(token)
    if not token:
        return None
    # Authenticators show six digits; recovery codes are eight letters and digits.
    model = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def second_factor_device_revoke(*, user: User, device_id: int) -> bool:
    """Remove one of the user's own authenticators. Without any left, the recovery codes go
    too (they are a spare for an authenticator, not a factor of their own)."""
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=user, pk=device_id).delete()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            StaticDevice.objects.filter(user=user).delete()
    if deleted:
        second_factor_notice_send(user=user, event="removed")
    return bool(deleted)


def second_factor_reset(*, user: User, actor: User) -> None:
    """A site admin removes every second factor of a staff member (a lost phone), recorded
    in the account's history. Sessions verified with a removed device stop being verified."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        with translation.override(settings.LANGUAGE_CODE):
            message = str(
                gettext("Two-factor sign-in reset: authenticators and recovery codes removed.")
            )
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=message,
            single_object=True,
        )
    second_factor_notice_send(user=user, event="reset")
