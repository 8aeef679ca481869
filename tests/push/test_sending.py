"""Sending: what triggers a push, who receives it, and what reaches the push service
(a real HTTP receiver on 127.0.0.1 checks VAPID, encryption and headers)."""

import base64
import json
import time
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services as article_services
from articles.models import Status
from push import services
from push.models import Notification, PushSubscription
from tests import factories

pytestmark = pytest.mark.django_db


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subscribe(browser, *, breaking=True, sections=()):
    subscription = PushSubscription.objects.create(
        endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth, breaking=breaking
    )
    subscription.sections.set(sections)
    return subscription


def verify_vapid(request, *, public_key: str, origin: str) -> dict:
    """The JWT in ``Authorization: vapid t=...,k=...``: signed (ES256) by our key, for the
    receiver's origin, not expired. Returns its claims."""
    scheme, _, params = request["headers"]["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key
    header, claims, signature = parts["t"].split(".")
    assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key))
    key.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )  # raises InvalidSignature
    claims = json.loads(unb64(claims))
    assert claims["aud"] == origin
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    return claims


def decrypt(request, browser) -> dict:
    plain = http_ece.decrypt(
        request["body"],
        private_key=browser.private_key,
        auth_secret=browser.auth_raw,
        version="aes128gcm",
    )
    return json.loads(plain)


def test_a_new_breaking_line_is_pushed_encrypted_and_signed(
    receiver, vapid, settings, django_capture_on_commit_callbacks
):
    settings.PUSH_TTL_SECONDS = 1800
    browser = receiver.browser("reader")
    subscribe(browser)
    with django_capture_on_commit_callbacks(execute=True):
        line = factories.make_breaking_line(text="عاجل: زلزال بقوة 5 درجات يضرب اللاذقية")

    [request] = receiver.to("/push/reader")
    claims = verify_vapid(request, public_key=vapid, origin=receiver.origin)
    assert claims["sub"] == "mailto:desk@levant24.example"
    headers = request["headers"]
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == "1800"
    assert headers["urgency"] == "high"
    assert len(request["body"]) < 3 * 1024
    assert decrypt(request, browser) == {
        "title": "عاجل",
        "body": "عاجل: زلزال بقوة 5 درجات يضرب اللاذقية",
        "url": settings.SITE_URL + "/",
        "tag": f"breaking-{line.pk}",
    }
    notification = Notification.objects.get(breaking_line=line)
    assert (notification.audience, notification.sent, notification.dropped) == (1, 1, 0)
    assert PushSubscription.objects.get().last_success is not None

    # Editing the line does not push it again.
    with django_capture_on_commit_callbacks(execute=True):
        line.text = "عاجل: زلزال بقوة 5.2 درجات يضرب اللاذقية"
        line.save()
    assert len(receiver.received) == 1


def test_a_gone_subscription_is_dropped_and_other_failures_counted(
    receiver, vapid, django_capture_on_commit_callbacks
):
    gone = subscribe(receiver.browser("gone", status=410))
    missing = subscribe(receiver.browser("missing", status=404))
    failing = subscribe(receiver.browser("busy", status=500))
    fine = subscribe(receiver.browser("fine"))
    with django_capture_on_commit_callbacks(execute=True):
        line = factories.make_breaking_line()

    assert len(receiver.received) == 4
    remaining = set(PushSubscription.objects.values_list("pk", flat=True))
    assert remaining == {failing.pk, fine.pk}
    assert not {gone.pk, missing.pk} & remaining
    failing.refresh_from_db()
    assert failing.failures == 1 and failing.last_success is None
    notification = Notification.objects.get(breaking_line=line)
    assert (notification.sent, notification.dropped, notification.failed) == (1, 2, 1)


def test_a_subscription_failing_too_often_is_removed(receiver, vapid, settings):
    settings.PUSH_MAX_FAILURES = 2
    failing = subscribe(receiver.browser("busy", status=503))
    failing.failures = 1
    failing.save()
    notification = Notification.objects.create(title="t", url="/", tag="t")
    services.batch_send(notification_id=notification.pk, subscription_ids=[failing.pk])
    assert not PushSubscription.objects.exists()


def test_subscriptions_are_sent_in_batches_of_the_configured_size(
    receiver, vapid, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from push import tasks

    settings.PUSH_BATCH_SIZE = 2
    for n in range(5):
        subscribe(receiver.browser(f"r{n}"))
    batches = []
    original = services.batch_send

    def spy(*, notification_id, subscription_ids):
        batches.append(list(subscription_ids))
        return original(notification_id=notification_id, subscription_ids=subscription_ids)

    monkeypatch.setattr(services, "batch_send", spy)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_breaking_line()
    assert [len(b) for b in batches] == [2, 2, 1]
    assert len({r["path"] for r in receiver.received}) == 5
    assert tasks.send_batch.name == "push.tasks.send_batch"
    assert Notification.objects.get().sent == 5


def test_breaking_lines_reach_breaking_subscribers_only(
    receiver, vapid, section, django_capture_on_commit_callbacks
):
    subscribe(receiver.browser("breaking"))
    subscribe(receiver.browser("section-only"), breaking=False, sections=[section])
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_breaking_line()
    assert [r["path"] for r in receiver.received] == ["/push/breaking"]


def test_a_breaking_line_linked_to_an_article_opens_it_and_shares_its_tag(
    receiver, vapid, article, settings, django_capture_on_commit_callbacks
):
    browser = receiver.browser("reader")
    subscribe(browser)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_breaking_line(article=article)
    payload = decrypt(receiver.received[0], browser)
    assert payload["url"] == settings.SITE_URL + article.get_absolute_url()
    assert payload["tag"] == f"article-{article.pk}"


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", username="editor-push")


def test_publishing_a_notify_article_pushes_its_section_once(
    receiver, vapid, section, editor, django_capture_on_commit_callbacks
):
    follower = receiver.browser("follower")
    subscribe(follower, sections=[section])
    subscribe(receiver.browser("breaking-only"))
    other = factories.make_section()
    subscribe(receiver.browser("other-section"), breaking=False, sections=[other])
    draft = factories.make_article(
        status=Status.DRAFT, section=section, notify=True, title="افتتاح معبر جديد"
    )
    assert not receiver.received  # a draft is not pushed

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(article=draft, by=editor)
    [request] = receiver.received
    assert request["path"] == "/push/follower"
    payload = decrypt(request, follower)
    assert payload["title"] == "افتتاح معبر جديد"
    assert payload["tag"] == f"article-{draft.pk}"

    # Saved again, unpublished and published again: never a second push.
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
        article_services.article_unpublish(article=draft, by=editor)
        article_services.article_publish(article=draft, by=editor)
    assert len(receiver.received) == 1
    assert Notification.objects.get(article=draft).sent == 1


def test_an_article_not_marked_notify_is_not_pushed(
    receiver, vapid, section, editor, django_capture_on_commit_callbacks
):
    subscribe(receiver.browser("follower"), sections=[section])
    draft = factories.make_article(status=Status.DRAFT, section=section)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(article=draft, by=editor)
    assert not receiver.received
    assert not Notification.objects.exists()


def test_a_scheduled_article_is_pushed_by_the_beat_task_when_its_time_comes(
    receiver, vapid, section, editor, django_capture_on_commit_callbacks
):
    from push.tasks import notify_due_articles

    subscribe(receiver.browser("follower"), sections=[section])
    draft = factories.make_article(status=Status.DRAFT, section=section, notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(
            article=draft, by=editor, at=timezone.now() + timedelta(minutes=30)
        )
    assert not receiver.received
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_due_articles() == 0  # not yet

    # Its time comes (nobody saves it: pages show it by time).
    type(draft).objects.filter(pk=draft.pk).update(
        published_at=timezone.now() - timedelta(seconds=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_due_articles() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_due_articles() == 0
    assert len(receiver.received) == 1
    assert "push-due-articles" in __import__("django.conf").conf.settings.CELERY_BEAT_SCHEDULE


def test_old_news_is_not_pushed(receiver, vapid, section, settings):
    subscribe(receiver.browser("follower"), sections=[section])
    old = factories.make_article(
        section=section, notify=True, published_at=timezone.now() - timedelta(days=2)
    )
    assert services.articles_due() == []
    assert services.notification_for_article(article_id=old.pk) is None


def test_nothing_is_sent_while_push_is_off(receiver, settings, django_capture_on_commit_callbacks):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    subscribe(receiver.browser("reader"))
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_breaking_line()
    assert not receiver.received
    assert not Notification.objects.exists()


def test_the_payload_stays_small_with_the_longest_texts(vapid, section):
    article = factories.make_article(
        section=section,
        notify=True,
        title="ع" * 250,
        lead="ب" * 1000,
        published_at=timezone.now(),
    )
    notification = services.notification_for_article(article_id=article.pk)
    assert len(services.payload_bytes(notification)) < 1024


def test_the_live_desk_shows_push_counts(
    receiver, vapid, section, django_capture_on_commit_callbacks
):
    subscribe(receiver.browser("a"))
    subscribe(receiver.browser("b", status=410), sections=[section])
    subscribe(receiver.browser("c"), breaking=False, sections=[section])
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_breaking_line(text="عاجل: اجتماع طارئ")
    client = Client()
    client.force_login(factories.make_staff(role="editor", username="desk-editor"))
    page = client.get(reverse("admin:articles_breakingline_desk")).content.decode()
    assert "الإشعارات الفورية" in page
    assert "المتصفحات المشتركة: 2؛ تتلقى الأخبار العاجلة: 1؛ تتابع أقساماً: 1." in page
    row = page.split('data-push-row="breaking"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[2:]]
    assert cells == ["2", "1", "1", "0"]  # subscriptions, delivered, removed, failed
