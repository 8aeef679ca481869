"""Reader sign-up and email confirmation."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail, signing
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


def test_signup_creates_unconfirmed_reader_signs_in_and_mails_a_link(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="layla@example.com")
    assert user.display_name == "ليلى من اللاذقية"
    assert not user.email_confirmed
    assert not user.is_staff and not user.is_superuser
    assert user.check_password(GOOD)
    assert client.session[SESSION_KEY] == str(user.pk)

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

    state = client.get(reverse("comments:reader")).json()  # shown by the next page's script
    assert any("أرسلنا رابط تأكيد إلى بريدك الإلكتروني" in m["text"] for m in state["messages"])
    assert state["user"]["confirm_email_url"] == reverse("accounts:confirm_email_resend")


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
    assert response["Location"] == article.get_absolute_url()
    client.logout()
    response = _sign_up(client, email="other@example.com", next="https://evil.example/")
    assert response["Location"] == reverse("articles:home")


def test_confirmation_link_confirms_the_email(client):
    _sign_up(client)
    path = link_in(mail.outbox[0].body)
    response = client.get(path)
    assert response.status_code == 302
    assert User.objects.get(email="layla@example.com").email_confirmed
    state = client.get(reverse("comments:reader")).json()
    assert [m["text"] for m in state["messages"]][-1] == "شكراً لك، تم تأكيد بريدك الإلكتروني."
    assert state["user"]["confirm_email_url"] is None


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
def test_signup_refuses_an_email_already_used_in_any_case(client, typed):
    factories.make_reader(email="taken@example.com")
    response = _sign_up(client, email=typed)
    assert response.status_code == 200
    assert "يوجد حساب بهذا البريد الإلكتروني بالفعل." in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert mail.outbox == []


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
        client.logout()
        assert _sign_up(client, email=f"bulk{n}@example.com").status_code == 302
    client.logout()
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
