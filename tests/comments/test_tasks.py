"""Moderator alerts: a digest, sent by a task after the comment is stored."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments import services, tasks
from comments.models import Comment, ModerationSettings, ModeratorDigest
from core.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    return [factories.make_moderator(email=f"mod{n}@levant24.example") for n in range(3)]


def submit(article, n, **extra):
    return services.comment_submit(
        article=article,
        name=f"قارئ {n}",
        email=f"reader{n}@example.org",
        text=f"تعليق رقم {n} ينتظر المراجعة",
        ip_address=f"203.0.113.{n}",
        **extra,
    )


def test_a_pending_comment_mails_each_moderator_once_after_the_commit(
    article, moderators, django_capture_on_commit_callbacks
):
    factories.make_user(email="reader@example.org")  # not a moderator
    factories.make_moderator(email="")  # no address: skipped
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment = submit(article, 1)
        assert mail.outbox == []  # nothing leaves before the commit
        assert OutboxMessage.objects.filter(task_name=tasks.moderator_digest.name).count() == 1
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [m.email for m in moderators]
    message = mail.outbox[0]
    assert message.subject == "تعليقات بانتظار المراجعة: 1"
    assert "تعليق واحد جديد بانتظار المراجعة." in message.body
    assert "تعليق رقم 1 ينتظر المراجعة" in message.body
    assert article.title in message.body
    assert reverse("admin:comments_comment_change", args=[comment.pk]) in message.body
    assert reverse("admin:comments_comment_changelist") in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html and "تعليق رقم 1 ينتظر المراجعة" in html
    assert "reader1@example.org" not in message.body + html  # never the reader's email
    assert not OutboxMessage.objects.filter(task_name=tasks.moderator_digest.name).exists()


def test_many_comments_make_one_mail_per_moderator_per_window(
    article, moderators, django_capture_on_commit_callbacks
):
    """Twenty comments in the window: still one mail each; the next digest lists the rest."""
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(article, 1)
    for n in range(2, 22):
        with django_capture_on_commit_callbacks(execute=True):
            submit(article, n)
    assert len(mail.outbox) == len(moderators)
    assert all("تعليق رقم 1 ينتظر" in m.body for m in mail.outbox)

    # Beat runs the task every minute: nothing more until the 10 minutes have passed.
    mail.outbox.clear()
    assert services.moderators_digest_send(now=timezone.now() + timedelta(minutes=9)) == 0
    assert services.moderators_digest_send(now=timezone.now() + timedelta(minutes=11)) == 3
    assert len(mail.outbox) == 3
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "تعليقات بانتظار المراجعة: 20"
    assert "تعليق رقم 21 ينتظر" in body and "تعليق رقم 2 ينتظر" in body
    assert f"/admin/comments/comment/{first.pk}/change/" not in body  # already announced
    # And nothing twice.
    assert services.moderators_digest_send(now=timezone.now() + timedelta(minutes=30)) == 0


def test_a_long_queue_is_cut_with_a_count_of_the_rest(article, moderators):
    for n in range(1, services.DIGEST_LIST_LIMIT + 6):
        factories.make_comment(article=article, status="pending", text=f"نص {n}")
    assert services.moderators_digest_send() == 3
    body = mail.outbox[0].body
    assert "و5 غيرها." in body
    assert f"التعليقات في قائمة الانتظار: {services.DIGEST_LIST_LIMIT + 5}" in body


def test_the_window_is_the_moderators_setting(article, moderators):
    rules = ModerationSettings.load()
    rules.digest_minutes = 30
    rules.save()
    factories.make_comment(article=article, status="pending")
    now = timezone.now()
    assert services.moderators_digest_send(now=now) == 3
    factories.make_comment(article=article, status="pending")
    assert services.moderators_digest_send(now=now + timedelta(minutes=11)) == 0
    assert services.moderators_digest_send(now=now + timedelta(minutes=31)) == 3


def test_no_digest_when_switched_off_or_nothing_is_pending(article, moderators):
    assert services.moderators_digest_send() == 0  # empty queue
    factories.make_comment(article=article, status="approved")
    assert services.moderators_digest_send() == 0
    rules = ModerationSettings.load()
    rules.notify_moderators = False
    rules.save()
    factories.make_comment(article=article, status="pending")
    assert services.moderators_digest_send() == 0
    assert mail.outbox == []


def test_a_new_moderator_gets_the_whole_queue_in_the_next_run(article, moderators):
    factories.make_comment(article=article, status="pending", text="قديم في القائمة")
    services.moderators_digest_send()
    mail.outbox.clear()
    newcomer = factories.make_moderator(email="new-mod@levant24.example")
    assert services.moderators_digest_send() == 1
    assert mail.outbox[0].to == [newcomer.email]
    assert "قديم في القائمة" in mail.outbox[0].body


def test_a_failed_mail_is_retried_and_the_others_are_not_mailed_twice(article, moderators):
    """The task fails for one address and retries: each moderator ends with one mail."""
    factories.make_comment(article=article, status="pending")
    real_send = mail.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(message, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("SMTP unavailable")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky):
        # Run in-process, the retry comes at once (a worker waits with backoff).
        assert tasks.moderator_digest.apply().successful()
    assert calls["n"] == 4  # the first moderator was not mailed again by the retry
    assert sorted(m.to[0] for m in mail.outbox) == [m.email for m in moderators]
    assert ModeratorDigest.objects.filter(last_sent_at__isnull=False).count() == 3


def test_digest_task_retries_with_backoff():
    task = tasks.moderator_digest
    assert task.autoretry_for == (Exception,)
    assert task.retry_backoff and task.max_retries == 8


def test_comment_submission_only_queues_the_digest_whatever_the_number_of_moderators(article):
    """The reader's request only queues the digest: its cost does not grow with moderators."""
    for n in range(20):
        factories.make_moderator(email=f"m{n}@levant24.example")
    with mock.patch("comments.services.enqueue_after_commit") as enqueue:
        submit(article, 1)
        submit(article, 2)  # within the same half minute: not queued again
    assert enqueue.call_count == 1
    assert Comment.objects.pending().count() == 2
    assert mail.outbox == []
