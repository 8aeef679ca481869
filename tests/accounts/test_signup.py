"""Reader sign-up and email confirmation."""

from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts import services
from tests import factories
from tests.accounts.utils import link_in, post_and_commit

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP = reverse("accounts:signup")
GOOD = "Qasioun-Sunset-1987"


def _sign_up(client, **overrides):
    data = {
        "display_name": "ليلى من اللاذقية",
        "email": "layla@example.com",
        "password1": GOOD,
        "password2": GOOD,
    } | overrides
    return post_and_commit(client, SIGNUP, data)


def test_signup_page_is_arabic(client):
    html = client.get(SIGNUP).content.decode()
    assert "أنشئ حساباً" in html
    assert "الاسم" in html
    assert "البريد الإلكتروني" in html
    assert "كلمة المرور" in html


CHECK_INBOX = (
    "شكراً لك. أرسلنا رسالة إلى العنوان الذي أدخلته. افتح الرابط الذي فيها لتأكيد عنوانك، "
    "ثم سجّل الدخول."
)


def test_signup_creates_unconfirmed_reader_and_mails_a_link(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(email="layla@example.com")
    assert user.display_name == "ليلى من اللاذقية"
    assert not user.email_confirmed
    assert not user.is_staff and not user.is_superuser
    assert user.check_password(GOOD)
    # Not signed in: an address that already had an account could not be, and the two
    # answers must not differ.
    assert SESSION_KEY not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["layla@example.com"]
    assert message.subject == "أكّد بريدك الإلكتروني في ليفانت 24"
    assert "افتح هذا الرابط لتأكيد بريدك الإلكتروني" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html
    assert link_in(message.body) in html
    assert "layla" not in link_in(message.body)

    page = client.get(response["Location"]).content.decode()
    assert CHECK_INBOX in page


def test_signup_returns_to_a_next_page_on_this_site_only(client, article):
    response = client.post(
        SIGNUP + "?next=" + article.get_absolute_url(),
        {
            "display_name": "ليلى",
            "email": "layla@example.com",
            "password1": GOOD,
            "password2": GOOD,
        },
    )
    target = urlsplit(response["Location"])
    assert target.path == reverse("accounts:login")
    assert parse_qs(target.query)["next"] == [unquote(article.get_absolute_url())]
    response = _sign_up(client, email="other@example.com", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:login")


def test_confirmation_link_confirms_the_email(client):
    _sign_up(client)
    path = link_in(mail.outbox[0].body)
    response = client.get(path)
    assert response.status_code == 302
    assert User.objects.get(email="layla@example.com").email_confirmed
    page = client.get(response["Location"]).content.decode()  # the sign-in page
    assert "شكراً لك، تم تأكيد بريدك الإلكتروني." in page


def test_confirmation_link_works_signed_out_too(client):
    _sign_up(client)
    path = link_in(mail.outbox[0].body)
    client.logout()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(email="layla@example.com").email_confirmed


def test_tampered_confirmation_link_is_refused(client):
    user = factories.make_reader(email_confirmed=False)
    token = services.email_confirmation_token(user=user)
    response = client.get(reverse("accounts:confirm_email", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert "رابط التأكيد غير صالح" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_confirmed


def test_expired_confirmation_link_is_refused(client, monkeypatch, settings):
    user = factories.make_reader(email_confirmed=False)
    token = services.email_confirmation_token(user=user)
    later = signing.time.time() + settings.EMAIL_CONFIRMATION_MAX_AGE + 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    response = client.get(reverse("accounts:confirm_email", kwargs={"token": token}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed


def test_link_for_an_old_address_does_not_confirm_a_new_one(client):
    user = factories.make_reader(email="old@example.com", email_confirmed=False)
    token = services.email_confirmation_token(user=user)
    user.email = "new@example.com"
    user.save()
    response = client.get(reverse("accounts:confirm_email", kwargs={"token": token}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_confirmed


@pytest.mark.parametrize("typed", ["taken@example.com", "TAKEN@Example.com"])
def test_signup_with_a_taken_email_answers_the_same_and_mails_the_owner(client, typed):
    owner = factories.make_reader(email="taken@example.com", display_name="صاحب الحساب")
    new = _sign_up(Client(), email="free@example.com")
    response = _sign_up(client, email=typed)
    # The same status, target and message as for a new address; no account, no sign-in.
    assert (response.status_code, response["Location"]) == (new.status_code, new["Location"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CHECK_INBOX]
    assert SESSION_KEY not in client.session
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    # The owner is told; the one who typed the address learns nothing.
    assert [m.to for m in mail.outbox] == [["free@example.com"], ["taken@example.com"]]
    note = mail.outbox[1]
    assert note.subject == "حاول أحدهم إنشاء حساب ببريدك الإلكتروني في ليفانت 24"
    assert "صاحب الحساب" in note.body
    assert reverse("accounts:password_reset") in note.body
    assert owner.check_password("pass-1234-word")  # unchanged


def test_owner_is_mailed_at_most_once_an_hour_about_signup_attempts(client):
    factories.make_reader(email="taken@example.com")
    for n in range(3):
        _sign_up(Client(REMOTE_ADDR=f"10.7.0.{n}"), email="taken@example.com")
    assert len(mail.outbox) == 1


def test_service_refuses_a_duplicate_email_even_past_the_form():
    factories.make_reader(email="race@example.com")
    with pytest.raises(services.EmailTaken):
        services.user_signup(display_name="س", email="Race@Example.com", password=GOOD)


def test_signup_checks_the_password_with_djangos_validators_in_arabic(client):
    response = _sign_up(client, password1="123", password2="123")
    assert response.status_code == 200
    html = response.content.decode()
    assert "كلمة المرور هذه قصيرة جداً. يجب أن تتكون من 8 أحرف على الأقل." in html
    assert "كلمة المرور هذه تتكون من أرقام فقط." in html
    assert "too short" not in html
    assert not User.objects.filter(email="layla@example.com").exists()


def test_signup_refuses_a_password_like_the_email(client):
    response = _sign_up(
        client, email="qasioun1987@example.com", password1="qasioun1987", password2="qasioun1987"
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="qasioun1987@example.com").exists()


def test_signup_refuses_mismatched_passwords(client):
    response = _sign_up(client, password2=GOOD + "x")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_usernames_are_unique_and_derived_from_the_email(client):
    factories.make_user(username="layla", email="someone-else@example.com")
    _sign_up(client)
    assert User.objects.get(email="layla@example.com").username == "layla2"


def test_signed_in_reader_is_sent_away_from_signup(client):
    client.force_login(factories.make_reader())
    assert client.get(SIGNUP).status_code == 302


def test_resend_sends_a_new_link_at_most_once_a_minute(client):
    user = factories.make_reader(email_confirmed=False)
    client.force_login(user)
    url = reverse("accounts:confirm_email_resend")
    assert "أرسل لي رابط تأكيد جديداً" in client.get(url).content.decode()
    post_and_commit(client, url)
    post_and_commit(client, url)
    assert len(mail.outbox) == 1
    assert client.get(link_in(mail.outbox[0].body)).status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed


def test_resend_needs_a_signed_in_reader(client):
    response = client.post(reverse("accounts:confirm_email_resend"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert mail.outbox == []


def test_signups_from_one_address_are_capped_per_hour(client):
    for n in range(services.SIGNUPS_PER_ADDRESS_PER_HOUR):
        assert _sign_up(client, email=f"bulk{n}@example.com").status_code == 302
    response = _sign_up(client, email="one-too-many@example.com")
    assert response.status_code == 200
    assert "أُنشئت حسابات كثيرة من هذا الاتصال" in response.content.decode()
    assert not User.objects.filter(email="one-too-many@example.com").exists()
    assert len(mail.outbox) == services.SIGNUPS_PER_ADDRESS_PER_HOUR
    # Another address is not affected.
    response = client.post(
        SIGNUP,
        {
            "display_name": "ليلى",
            "email": "elsewhere@example.com",
            "password1": GOOD,
            "password2": GOOD,
        },
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302


def test_signups_with_taken_emails_count_towards_the_cap_too(client):
    """Probing taken addresses is throttled exactly like creating accounts."""
    factories.make_reader(email="taken@example.com")
    for _ in range(services.SIGNUPS_PER_ADDRESS_PER_HOUR):
        assert _sign_up(client, email="taken@example.com").status_code == 302
    response = _sign_up(client, email="taken@example.com")
    assert response.status_code == 200
    assert "أُنشئت حسابات كثيرة من هذا الاتصال" in response.content.decode()


def test_signup_name_needs_a_visible_letter(client):
    response = _sign_up(client, display_name="\u200b\u200c\u3164")
    assert response.status_code == 200
    assert "يجب أن يحتوي الاسم على حرف واحد على الأقل." in response.content.decode()
    assert not User.objects.exists()
