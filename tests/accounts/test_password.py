"""Lost password (reset by email) and password change."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.utils import PASSWORD, link_in, post_and_commit

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW = "Barada-River-2031"


def test_reset_request_page_is_arabic(client):
    html = client.get(RESET).content.decode()
    assert "نسيت كلمة المرور؟" in html
    assert "اكتب البريد الإلكتروني لحسابك" in html


def test_lost_password_end_to_end_link_works_once(client, reader):
    response = post_and_commit(client, RESET, {"email": "RANA@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert (
        "إن كان هناك حساب بالعنوان الذي كتبته" in client.get(response["Location"]).content.decode()
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rana@example.com"]
    assert message.subject == "اختر كلمة مرور جديدة لحسابك في ليفانت 24"
    assert "يعمل الرابط مرة واحدة" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'lang="ar" dir="rtl"' in html
    link = link_in(message.body)
    assert link in html

    response = client.get(link)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response["Location"]
    page = client.get(form_url).content.decode()
    assert "اختر كلمة مرور جديدة" in page
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    reader.refresh_from_db()
    assert reader.check_password(NEW)

    # The same link a second time: refused, password unchanged.
    other = Client()
    response = other.get(link, follow=True)
    html = response.content.decode()
    assert "هذا الرابط لم يعد صالحاً" in html
    assert 'name="new_password1"' not in html

    # And the new password signs in.
    response = other.post(reverse("accounts:login"), {"username": "rana", "password": NEW})
    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(reader.pk)


def test_reset_link_expires(client, reader, monkeypatch, settings):
    post_and_commit(client, RESET, {"email": "rana@example.com"})
    link = link_in(mail.outbox[0].body)
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator,
        "_now",
        lambda self: real_now(self) + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60),
    )
    html = client.get(link, follow=True).content.decode()
    assert "هذا الرابط لم يعد صالحاً" in html
    assert 'name="new_password1"' not in html


def test_unknown_email_gets_the_same_answer_and_no_mail(client, reader):
    known = post_and_commit(client, RESET, {"email": "rana@example.com"})
    unknown = post_and_commit(client, RESET, {"email": "nobody@example.com"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert client.get(unknown["Location"]).content == client.get(known["Location"]).content
    assert [m.to for m in mail.outbox] == [["rana@example.com"]]


def test_reset_new_password_is_checked_by_validators(client, reader):
    post_and_commit(client, RESET, {"email": "rana@example.com"})
    form_url = client.get(link_in(mail.outbox[0].body))["Location"]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert "كلمة المرور هذه قصيرة جداً" in response.content.decode()
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others(reader):
    here, elsewhere = Client(), Client()
    here.force_login(reader)
    elsewhere.force_login(reader)
    assert elsewhere.get(reverse("accounts:profile")).status_code == 200

    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    page = here.get(response["Location"])
    assert page.status_code == 200
    assert "تم تغيير كلمة المرور" in page.content.decode()

    response = elsewhere.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_needs_the_old_password(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_password_change_needs_sign_in(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_repeated_reset_requests_send_one_mail_and_the_same_answer(client, reader):
    first = post_and_commit(client, RESET, {"email": "rana@example.com"})
    second = post_and_commit(client, RESET, {"email": "rana@example.com"})
    assert first["Location"] == second["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
