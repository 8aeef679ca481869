"""The outbox: tasks leave after the commit, wait while the broker is down, and run once."""

import io
import time
from contextlib import suppress

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.tasks import send_confirmation_email
from core import outbox
from core.models import CompletedTask, OutboxMessage
from core.tasks import drain_outbox, enqueue_after_commit
from tests import factories
from tests.core.conftest import closed_port

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def sign_up(client, email="salma@example.com"):
    password = "Qasioun-Sunset-1987"
    data = {"display_name": "سلمى", "email": email, "password1": password, "password2": password}
    return client.post(SIGNUP, data)


def confirmation_rows():
    return OutboxMessage.objects.filter(task_name=send_confirmation_email.name)


def test_a_task_leaves_only_after_the_commit_and_not_at_all_after_a_rollback(
    django_capture_on_commit_callbacks,
):
    user = factories.make_reader(email_confirmed=False)
    with (
        django_capture_on_commit_callbacks(execute=True),
        suppress(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_after_commit(send_confirmation_email, user.pk, "http://testserver")
        raise RuntimeError("the save failed")
    assert not confirmation_rows().exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(send_confirmation_email, user.pk, "http://testserver")
        assert mail.outbox == [] and confirmation_rows().count() == 1
    assert len(mail.outbox) == 1
    assert not confirmation_rows().exists()  # handed over: the row is gone


def test_broker_down_the_request_succeeds_and_the_mail_is_sent_once_when_it_is_back(
    client, broker, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DRAIN_MIN_AGE_SECONDS = 0
    broker(f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    with django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        response = sign_up(client)
    assert response.status_code == 302  # signed up and signed in
    assert time.monotonic() - started < 3
    assert mail.outbox == []
    row = confirmation_rows().get()
    assert row.attempts == 1 and row.last_error
    assert outbox.broker_state() == "down"
    assert get_user_model().objects.filter(email="salma@example.com").exists()

    # While it is down, later requests do not wait for it again; their tasks wait too.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        assert sign_up(client, email="huda@example.com").status_code == 302
    assert time.monotonic() - started < 1
    assert confirmation_rows().count() == 2

    # The broker is back (here: tasks run in-process again) and the outbox is drained.
    broker(None)
    assert outbox.drain() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["huda@example.com", "salma@example.com"]
    assert not confirmation_rows().exists()
    # A second drain, or the same message delivered again, sends nothing more.
    assert outbox.drain() == 0
    send_confirmation_email.apply(args=[row.args[0], row.args[1]], task_id=str(row.id))
    assert len(mail.outbox) == 2


def test_the_next_successful_publish_drains_what_waited(
    client, broker, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DRAIN_MIN_AGE_SECONDS = 0
    broker(f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    assert mail.outbox == [] and confirmation_rows().count() == 1
    broker(None)
    reader = factories.make_reader(email="other@example.com", email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.email_confirmation_send(user=reader, base_url="http://testserver")
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.com", "salma@example.com"]
    assert not confirmation_rows().exists()


def test_publishing_to_a_reachable_broker_hands_the_task_over(
    broker, django_capture_on_commit_callbacks
):
    broker("memory://")
    user = factories.make_reader(email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(send_confirmation_email, user.pk, "http://testserver")
    assert not confirmation_rows().exists()  # accepted by the broker
    assert mail.outbox == []  # a worker sends it, not this process
    assert outbox.broker_state() == "up"


def test_a_task_that_fails_in_process_stays_in_the_outbox_for_the_next_drain(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DRAIN_MIN_AGE_SECONDS = 0
    user = factories.make_reader(email_confirmed=False)

    def smtp_down(**kwargs):
        raise OSError("SMTP unavailable")

    monkeypatch.setattr(account_services, "email_confirmation_mail", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(send_confirmation_email, user.pk, "http://testserver")
    assert confirmation_rows().get().attempts == 1
    assert not CompletedTask.objects.exists()  # the failed run left no "done" record
    monkeypatch.undo()
    assert drain_outbox.apply().result == 1
    assert len(mail.outbox) == 1


def test_drain_outbox_command(broker, settings):
    user = factories.make_reader(email_confirmed=False)
    broker(f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    OutboxMessage.objects.create(
        task_name=send_confirmation_email.name, args=[user.pk, "http://testserver"]
    )
    call_command("drain_outbox", "--dry-run", stdout=(out := io.StringIO()))
    assert "1 tasks waiting" in out.getvalue()
    call_command("drain_outbox", stdout=(out := io.StringIO()))
    assert "0 of 1" in out.getvalue() and mail.outbox == []
    broker(None)
    call_command("drain_outbox", stdout=(out := io.StringIO()))
    assert "1 of 1" in out.getvalue() and len(mail.outbox) == 1


def test_health_reports_the_broker(client, broker, settings):
    assert client.get("/healthz").json()["checks"]["broker"] == {"status": "eager"}
    ready = client.get("/healthz/ready").json()
    assert ready["status"] == "ok"
    assert ready["checks"]["broker"]["status"] == "eager"
    assert ready["checks"]["outbox"]["waiting"] == 0

    broker(f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    OutboxMessage.objects.create(task_name=send_confirmation_email.name, args=[1, "x"])
    response = client.get("/healthz/ready")
    # The site still serves: the broker's state is reported, not a failure.
    assert response.status_code == 200
    ready = response.json()
    assert ready["status"] == "degraded"
    assert ready["failing"] == ["broker", "outbox"]
    assert ready["checks"]["broker"]["status"] == "down"
    assert ready["checks"]["outbox"]["status"] == "backlog"
    assert ready["checks"]["outbox"]["waiting"] == 1
    assert client.get("/healthz").json() == {
        "status": "ok",
        "checks": {"database": {"status": "up"}, "broker": {"status": "unknown"}},
    }
