"""Account mail is sent by tasks: once per queued message, with links made when they run."""

import pytest
from django.core import mail
from django.test import Client

from accounts.tasks import send_confirmation_email, send_password_reset_email
from tests import factories
from tests.accounts.utils import link_in

pytestmark = pytest.mark.django_db


def test_password_reset_task_sends_one_working_link_per_message():
    reader = factories.make_reader(email="rana@example.com")
    for _ in range(2):  # the same message delivered twice
        send_password_reset_email.apply(args=[reader.pk, "testserver", "http"], task_id="m-1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rana@example.com"]
    response = Client().get(link_in(mail.outbox[0].body))
    assert response.status_code == 302  # a valid link: Django moves the token to the session
    send_password_reset_email.apply(args=[reader.pk, "testserver", "http"], task_id="m-2")
    assert len(mail.outbox) == 2  # another request is another message


def test_account_mail_tasks_skip_accounts_that_no_longer_need_them():
    gone = factories.make_reader(email="gone@example.com", is_active=False)
    confirmed = factories.make_reader(email="ok@example.com", email_confirmed=True)
    assert send_password_reset_email.apply(args=[gone.pk, "testserver", "http"]).result is False
    assert send_confirmation_email.apply(args=[confirmed.pk, "http://testserver"]).result is False
    assert send_confirmation_email.apply(args=[10**9, "http://testserver"]).result is False
    assert mail.outbox == []


def test_account_mail_tasks_retry_with_backoff():
    for task in (send_confirmation_email, send_password_reset_email):
        assert task.autoretry_for == (Exception,)
        assert task.retry_backoff and task.max_retries == 8


def test_account_notices_leave_through_the_queue_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A notice to an account's owner is queued like every other mail: nothing is sent
    before the commit, and the outbox holds it until then."""
    from accounts import services
    from core.models import OutboxMessage

    user = factories.make_reader(email="owner@example.org")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.second_factor_notice_send(user=user, event="added")
        assert mailoutbox == []
        assert OutboxMessage.objects.filter(task_name="accounts.tasks.send_rendered_mail").exists()
    for callback in pending:
        callback()
    assert [m.to for m in mailoutbox] == [["owner@example.org"]]
