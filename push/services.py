"""Subscriptions and sending. Views, tasks and signals call these; nothing else writes."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.models import Article, BreakingLine, Section

from .models import Notification, PushSubscription

logger = logging.getLogger(__name__)

MAX_SECTIONS = 20
# Kept well under the 4 KB push services accept once encrypted.
MAX_PAYLOAD_BYTES = 3000


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


# --- subscriptions -----------------------------------------------------------------------


def _b64url(value, *, length: int, message: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValidationError(message)
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError(message) from None
    if len(raw) != length:
        raise ValidationError(message)
    return value.rstrip("=")


def _endpoint(value) -> str:
    message = _("This push address is not accepted.")
    if not isinstance(value, str) or not value or len(value) > 1000:
        raise ValidationError(message)
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise ValidationError(message) from None
    schemes = ("https", "http") if settings.PUSH_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not host or parts.username or parts.password:
        raise ValidationError(message)
    # Only the browsers' push services: the server must never be made to post elsewhere.
    if not any(host == h or host.endswith("." + h) for h in settings.PUSH_SERVICE_HOSTS):
        raise ValidationError(message)
    return value


def subscription_clean(data) -> dict:
    """The browser's subscription (``PushSubscription.toJSON()``) and the reader's choice,
    checked. Raises ValidationError with a message for the reader."""
    if not isinstance(data, dict):
        raise ValidationError(_("The request could not be read."))
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    bad_keys = _("The browser's encryption keys are not valid.")
    p256dh = _b64url(keys.get("p256dh"), length=65, message=bad_keys)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
        )
    except ValueError:
        raise ValidationError(bad_keys) from None
    cleaned = {
        "endpoint": _endpoint(data.get("endpoint")),
        "p256dh": p256dh,
        "auth": _b64url(keys.get("auth"), length=16, message=bad_keys),
    }
    cleaned.update(choice_clean(data))
    return cleaned


def choice_clean(data) -> dict:
    breaking = data.get("breaking", True)
    sections = data.get("sections", [])
    if not isinstance(breaking, bool) or not isinstance(sections, list):
        raise ValidationError(_("The request could not be read."))
    if len(sections) > MAX_SECTIONS or not all(
        isinstance(s, int) and not isinstance(s, bool) for s in sections
    ):
        raise ValidationError(_("Choose fewer sections."))
    ids = set(sections)
    if len(Section.objects.filter(pk__in=ids)) != len(ids):
        raise ValidationError(_("One of the chosen sections does not exist."))
    if not breaking and not ids:
        raise ValidationError(_("Choose breaking news or a section."))
    return {"breaking": breaking, "sections": sorted(ids)}


@transaction.atomic
def subscription_save(*, data: dict) -> tuple[PushSubscription, bool]:
    """Store (or refresh) a browser's subscription from cleaned ``data``."""
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=data["endpoint"],
        defaults={
            "p256dh": data["p256dh"],
            "auth": data["auth"],
            "breaking": data["breaking"],
            "failures": 0,
        },
    )
    subscription.sections.set(data["sections"])
    return subscription, created


def subscription_find(*, endpoint, auth) -> PushSubscription | None:
    """The subscription only for the browser that holds both its endpoint and its secret."""
    if not isinstance(endpoint, str) or not isinstance(auth, str):
        return None
    return PushSubscription.objects.filter(endpoint=endpoint, auth=auth.rstrip("=")).first()


@transaction.atomic
def subscription_choose(*, subscription: PushSubscription, choice: dict) -> PushSubscription:
    subscription.breaking = choice["breaking"]
    subscription.save(update_fields=["breaking"])
    subscription.sections.set(choice["sections"])
    return subscription


def subscription_delete(*, subscription: PushSubscription) -> None:
    subscription.delete()


# --- what is sent --------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


def _claim(**fields) -> Notification | None:
    """Create the notification; None when one exists already (someone else sends it)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:
        return None


def notification_for_breaking_line(*, line_id: int) -> Notification | None:
    line = BreakingLine.objects.current().select_related("article").filter(pk=line_id).first()
    if line is None or not push_enabled():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Breaking")
    url = line.public_url
    return _claim(
        breaking_line=line,
        title=title,
        body=Truncator(line.text).chars(200),
        url=_absolute(url or "/"),
        # A linked article pushed later replaces this notification instead of adding one.
        tag=f"article-{line.article_id}" if url else f"breaking-{line.pk}",
    )


def notification_for_article(*, article_id: int) -> Notification | None:
    """The push for an article marked "notify", once it is public and still fresh."""
    article = (
        Article.objects.published()
        .filter(pk=article_id, notify=True)
        .select_related("section")
        .first()
    )
    if article is None or not push_enabled():
        return None
    if article.published_at < timezone.now() - timedelta(seconds=settings.PUSH_ARTICLE_MAX_AGE):
        return None  # back-dated, or found too late: old news is not pushed
    return _claim(
        article=article,
        title=Truncator(article.title).chars(120),
        body=Truncator(article.lead or article.section.name).chars(200),
        # The short address (it redirects to the full one): an Arabic slug, percent-encoded,
        # would take most of the payload.
        url=_absolute(reverse("articles:detail_short", args=[article.pk])),
        tag=f"article-{article.pk}",
    )


def notification_audience(notification: Notification):
    if notification.breaking_line_id:
        return PushSubscription.objects.for_breaking()
    section_id = (
        Article.objects.filter(pk=notification.article_id)
        .values_list("section_id", flat=True)
        .first()
    )
    if section_id is None:
        return PushSubscription.objects.none()
    return PushSubscription.objects.for_section(section_id)


def notification_batches(*, notification: Notification) -> list[list[int]]:
    """The subscription ids to send to, in batches of ``PUSH_BATCH_SIZE``."""
    ids = list(
        notification_audience(notification).order_by("pk").values_list("pk", flat=True).distinct()
    )
    Notification.objects.filter(pk=notification.pk).update(audience=len(ids))
    size = settings.PUSH_BATCH_SIZE
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def articles_due() -> list[int]:
    """Articles marked "notify" that became public recently and were not pushed yet: the
    scheduled ones, which appear by time with nobody saving them."""
    since = timezone.now() - timedelta(seconds=settings.PUSH_ARTICLE_MAX_AGE)
    pushed = Notification.objects.filter(article__isnull=False).values("article_id")
    return list(
        Article.objects.published()
        .filter(notify=True, published_at__gte=since)
        .exclude(pk__in=pushed)
        .values_list("pk", flat=True)[:100]
    )


def payload_bytes(notification: Notification) -> bytes:
    data = json.dumps(notification.payload, ensure_ascii=False, separators=(",", ":")).encode()
    if len(data) > MAX_PAYLOAD_BYTES:  # the fields are truncated; this is a last guard
        data = json.dumps(
            {**notification.payload, "body": ""}, ensure_ascii=False, separators=(",", ":")
        ).encode()
    return data


def batch_send(*, notification_id: int, subscription_ids: list[int]) -> dict:
    """Deliver one notification to the given subscriptions (one batch).

    A push service's 404 or 410 means the browser unsubscribed: the row is deleted. Other
    failures are counted on the subscription; ``PUSH_MAX_FAILURES`` in a row delete it too.
    """
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    counts = {"sent": 0, "dropped": 0, "failed": 0}
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or not push_enabled():
        return counts
    data = payload_bytes(notification)
    vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
    delivered, gone, failing = [], [], []
    with requests.Session() as session:
        for subscription in PushSubscription.objects.filter(pk__in=subscription_ids):
            try:
                webpush(
                    subscription.info,
                    data,
                    vapid_private_key=vapid,
                    # A fresh dict each time: pywebpush fills in the audience of each endpoint.
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=settings.PUSH_TTL_SECONDS,
                    headers={"Urgency": "high"},
                    timeout=settings.PUSH_TIMEOUT_SECONDS,
                    requests_session=session,
                )
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                (gone if status in (404, 410) else failing).append(subscription.pk)
                if status not in (404, 410):
                    logger.warning("push failed status=%s id=%s", status, subscription.pk)
            except requests.RequestException as exc:
                failing.append(subscription.pk)
                logger.warning("push failed id=%s: %s", subscription.pk, exc)
            else:
                delivered.append(subscription.pk)
    now = timezone.now()
    PushSubscription.objects.filter(pk__in=delivered).update(last_success=now, failures=0)
    PushSubscription.objects.filter(pk__in=gone).delete()
    PushSubscription.objects.filter(pk__in=failing).update(failures=F("failures") + 1)
    PushSubscription.objects.filter(
        pk__in=failing, failures__gte=settings.PUSH_MAX_FAILURES
    ).delete()
    counts = {"sent": len(delivered), "dropped": len(gone), "failed": len(failing)}
    Notification.objects.filter(pk=notification_id).update(
        sent=F("sent") + counts["sent"],
        dropped=F("dropped") + counts["dropped"],
        failed=F("failed") + counts["failed"],
    )
    return counts


# --- VAPID keys ------------------------------------------------------------------------------


def vapid_key_pair() -> tuple[str, str]:
    """A new P-256 key pair as (public, private), base64url without padding: the public key
    as the browser's ``applicationServerKey`` wants it (uncompressed point), the private key
    as its raw 32-byte number."""
    from cryptography.hazmat.primitives import serialization

    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return b64(public), b64(private)
