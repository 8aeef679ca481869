"""Sign in (username or email), wrong password, pacing, lockout, sign out, `next`, admin."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import services
from tests import factories
from tests.accounts.utils import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _sign_in(client, login, password=PASSWORD, *, next=None, ip="127.0.0.1"):
    data = {"username": login, "password": password}
    if next is not None:
        data["next"] = next
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def _signed_in_as(client, user) -> bool:
    return client.session.get(SESSION_KEY) == str(user.pk)


def test_sign_in_page_is_arabic_with_reset_and_signup_links(client):
    html = client.get(LOGIN).content.decode()
    assert "مرحباً بعودتك" in html
    assert "سجّل الدخول إلى حسابك" in html
    assert "نسيت كلمة المرور؟" in html
    assert reverse("accounts:password_reset") in html
    assert reverse("accounts:signup") in html
    assert "البريد الإلكتروني أو اسم المستخدم" in html


def test_sign_in_with_username_signs_in_and_goes_home(client, reader):
    response = _sign_in(client, "rana")
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:home")
    assert _signed_in_as(client, reader)


@pytest.mark.parametrize("typed", ["rana@example.com", "RANA@Example.COM"])
def test_sign_in_with_email_in_any_case(client, reader, typed):
    response = _sign_in(client, typed)
    assert response.status_code == 302
    assert _signed_in_as(client, reader)


def test_wrong_password_shows_arabic_error_and_does_not_sign_in(client, reader):
    response = _sign_in(client, "rana", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "البريد الإلكتروني أو اسم المستخدم أو كلمة المرور غير صحيحة." in html
    assert SESSION_KEY not in client.session


def test_unknown_account_gets_the_same_error_as_a_wrong_password(client, reader):
    wrong = _sign_in(client, "rana", "not-the-password").content.decode()
    unknown = _sign_in(client, "nobody-here", "not-the-password").content.decode()
    message = "البريد الإلكتروني أو اسم المستخدم أو كلمة المرور غير صحيحة."
    assert message in wrong
    assert message in unknown


def test_inactive_account_cannot_sign_in(client):
    user = factories.make_reader(username="gone", is_active=False)
    _sign_in(client, "gone")
    assert not _signed_in_as(client, user)


def test_next_on_this_site_is_followed(client, reader, article):
    response = _sign_in(client, "rana", next=article.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "http://evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_to_another_host_is_ignored(client, reader, target):
    response = _sign_in(client, "rana", next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:home")
    assert _signed_in_as(client, reader)


def test_sign_in_page_does_not_carry_a_foreign_next_into_the_form(client):
    html = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    assert '<input type="hidden" name="next" value="">' in html
    assert "evil.example" not in html


def test_signed_in_reader_visiting_sign_in_page_is_sent_on(client, reader):
    client.force_login(reader)
    response = client.get(LOGIN)
    assert response.status_code == 302


def test_unconfirmed_reader_can_sign_in_but_is_told_to_confirm(client):
    user = factories.make_reader(username="newbie", email_confirmed=False)
    response = _sign_in(client, "newbie")
    assert response.status_code == 302
    assert _signed_in_as(client, user)
    state = _reader_state(client)  # what the page's script shows after the redirect
    assert any("يُرجى تأكيد بريدك الإلكتروني" in m["text"] for m in state["messages"])
    assert state["user"]["confirm_email_url"] == reverse("accounts:confirm_email_resend")


def _reader_state(client):
    return client.get(reverse("comments:reader")).json()


def test_confirmed_reader_is_not_told_to_confirm(client, reader):
    _sign_in(client, "rana")
    state = _reader_state(client)
    assert not any("يُرجى تأكيد بريدك الإلكتروني" in m["text"] for m in state["messages"])
    assert state["user"]["confirm_email_url"] is None


# --- pacing and lockout ------------------------------------------------------------------


def test_repeated_failures_make_the_next_attempt_wait(client, reader, settings, monkeypatch):
    settings.SIGNIN_SLOWDOWN_SECONDS = 1
    _sign_in(client, "rana", "wrong-1")
    _sign_in(client, "rana", "wrong-2")
    # Even the right password is not checked while the account must wait.
    response = _sign_in(client, "rana")
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    assert SESSION_KEY not in client.session

    later = time.time() + 5
    monkeypatch.setattr(services.time, "time", lambda: later)
    response = _sign_in(client, "rana")
    assert response.status_code == 302
    assert _signed_in_as(client, reader)


def test_pacing_counts_the_username_and_email_spellings_as_one_account(client, reader, settings):
    settings.SIGNIN_SLOWDOWN_SECONDS = 1
    _sign_in(client, "rana", "wrong-1", ip="10.0.0.1")
    _sign_in(client, "RANA@example.com", "wrong-2", ip="10.0.0.1")
    response = _sign_in(client, "rana", ip="10.0.0.1")
    assert "محاولات فاشلة كثيرة" in response.content.decode()


def test_lockout_after_five_failures_shows_arabic_message(client, reader):
    for n in range(4):
        response = _sign_in(client, "rana", f"wrong-{n}")
        assert response.status_code == 200
    response = _sign_in(client, "rana", "wrong-5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "تسجيل الدخول متوقف مؤقتاً" in html
    assert "يمكنك المحاولة مجدداً بعد 15 دقيقة." in html
    assert "Account locked" not in html
    # The right password no longer helps while locked.
    response = _sign_in(client, "rana")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_is_per_account_and_address_across_spellings(client, reader):
    for n in range(5):
        login = "rana" if n % 2 else "rana@example.com"
        _sign_in(client, login, f"wrong-{n}", ip="10.0.1.1")
    assert _sign_in(client, "RANA@example.com", ip="10.0.1.1").status_code == 429
    assert SESSION_KEY not in client.session


def _guess_from_many_addresses(login, *, addresses=6, tries=5, prefix="198.51.100"):
    """A distributed guesser: a browser of its own, several tries from each address."""
    guesser = Client()
    for a in range(addresses):
        for t in range(tries):
            guesser.post(
                LOGIN,
                {"username": login, "password": f"guess-{a}-{t}"},
                REMOTE_ADDR=f"{prefix}.{a + 1}",
            )
    return guesser


def test_strangers_guessing_from_many_addresses_cannot_lock_the_owner_out(client, reader):
    """Thirty wrong passwords from six addresses: those addresses are locked out, the owner
    signing in from a new address with their usual browser is not."""
    assert _sign_in(client, "rana", ip="10.0.9.1").status_code == 302  # the owner's browser
    client.post(reverse("accounts:logout"))
    guesser = _guess_from_many_addresses("rana")
    assert (
        guesser.post(
            LOGIN, {"username": "rana", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
        ).status_code
        == 429
    )
    response = _sign_in(client, "rana", ip="10.0.9.2")
    assert response.status_code == 302
    assert _signed_in_as(client, reader)


def test_distributed_guessing_slows_new_browsers_but_never_locks_them(
    client, reader, clock, settings
):
    """While the account is under attack, a browser that never signed in to it waits between
    tries, then gets in: a wait, not a lockout. The owner's usual browser does not wait."""
    settings.SIGNIN_SLOWDOWN_SECONDS = 1
    owner = Client()
    assert _sign_in(owner, "rana", ip="10.0.9.1").status_code == 302
    owner.post(reverse("accounts:logout"))
    _guess_from_many_addresses("rana")
    assert _sign_in(owner, "rana", ip="10.0.9.2").status_code == 302
    response = _sign_in(client, "rana", ip="10.0.9.3")
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    assert SESSION_KEY not in client.session
    clock.advance(61)
    assert _sign_in(client, "rana", ip="10.0.9.3").status_code == 302
    assert _signed_in_as(client, reader)


def test_one_address_guessing_many_accounts_is_slowed(client, reader, settings):
    settings.SIGNIN_SLOWDOWN_SECONDS = 1
    for n in range(11):
        _sign_in(client, f"someone{n}", "wrong", ip="10.0.2.1")
    response = _sign_in(client, "rana", ip="10.0.2.1")
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    # Another address may still sign in to the same account.
    response = _sign_in(client, "rana", ip="10.0.2.2")
    assert response.status_code == 302
    assert _signed_in_as(client, reader)


def test_a_success_clears_the_account_failures(client, reader):
    for n in range(4):
        _sign_in(client, "rana", f"wrong-{n}", ip=f"10.0.3.{n}")
    assert _sign_in(client, "rana", ip="10.0.3.50").status_code == 302
    client.logout()
    for n in range(4):
        assert _sign_in(client, "rana", f"again-{n}", ip=f"10.0.4.{n}").status_code == 200
    assert _sign_in(client, "rana", ip="10.0.4.50").status_code == 302


# --- sign out ------------------------------------------------------------------------------


def test_sign_out_by_get_is_refused(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert _signed_in_as(client, reader)


def test_sign_out_by_post_ends_the_session(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    state = _reader_state(client)
    assert state["user"] is None
    assert [m["text"] for m in state["messages"]] == ["تم تسجيل خروجك."]


def test_sign_out_needs_the_csrf_token(reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert _signed_in_as(client, reader)


# --- cookies ---------------------------------------------------------------------------------


def test_session_and_csrf_cookies_are_httponly(client, reader):
    client.get(LOGIN)
    response = _sign_in(client, "rana")
    assert response.cookies["sessionid"]["httponly"]
    assert client.cookies["csrftoken"]["httponly"]


# --- admin -----------------------------------------------------------------------------------


def test_reader_visiting_admin_is_sent_to_admin_sign_in(client, reader):
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_reader_cannot_sign_in_to_admin(client, reader):
    response = client.post(
        reverse("admin:login"), {"username": "rana", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


def test_staff_sign_in_to_admin_with_the_same_account_by_email(client):
    staff = factories.make_author(username="editor1", email="editor1@example.com")
    response = client.post(
        reverse("admin:login"),
        {"username": "editor1@example.com", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert _signed_in_as(client, staff)
    assert client.get("/admin/").status_code == 200


def test_staff_also_sign_in_on_the_public_site(client):
    staff = factories.make_author(username="editor2")
    assert _sign_in(client, "editor2").status_code == 302
    assert _signed_in_as(client, staff)


def test_behind_a_proxy_the_lockout_counts_the_forwarded_address(client, reader, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_nginx(login, password, address):
        data = {"username": login, "password": password}
        return client.post(LOGIN, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    for n in range(5):
        via_nginx("rana", f"wrong-{n}", "203.0.113.5")
    assert via_nginx("rana", PASSWORD, "203.0.113.5").status_code == 429
    # Another reader behind the same nginx is not locked out by the first one.
    assert via_nginx("rana", PASSWORD, "203.0.113.6").status_code == 302
    assert _signed_in_as(client, reader)


def _admin_sign_in(client, login, password=PASSWORD, *, ip="127.0.0.1"):
    data = {"username": login, "password": password, "next": "/admin/"}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip)


def test_admin_sign_in_is_paced_too(client, settings):
    settings.SIGNIN_SLOWDOWN_SECONDS = 1
    staff = factories.make_author(username="editor3")
    _admin_sign_in(client, "editor3", "wrong-1")
    _admin_sign_in(client, "editor3", "wrong-2")
    response = _admin_sign_in(client, "editor3")
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    assert not _signed_in_as(client, staff)


def test_admin_lockout_of_one_address_leaves_the_editor_in_from_another(client):
    staff = factories.make_author(username="editor4")
    guesser = Client()
    for n in range(5):
        _admin_sign_in(guesser, "editor4", f"wrong-{n}", ip="198.51.100.9")
    assert _admin_sign_in(guesser, "editor4", ip="198.51.100.9").status_code == 429
    assert _admin_sign_in(client, "editor4", ip="10.0.9.9").status_code == 302
    assert _signed_in_as(client, staff)
