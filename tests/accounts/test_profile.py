"""Profile page, header user area and the sign-in dialog."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_profile_needs_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_reader_edits_display_name(client, reader):
    client.force_login(reader)
    page = client.get(PROFILE).content.decode()
    assert "حسابك" in page
    assert 'value="قارئ من حمص"' in page
    response = client.post(PROFILE, {"display_name": "  رنا من حماة "})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "رنا من حماة"
    page = client.get(PROFILE).content.decode()
    assert "تم حفظ بيانات حسابك." in page
    assert "رنا من حماة" in page


def test_profile_refuses_an_empty_name(client, reader):
    client.force_login(reader)
    response = client.post(PROFILE, {"display_name": "   "})
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.display_name == "قارئ من حمص"


def test_profile_edits_only_the_display_name(client, reader):
    client.force_login(reader)
    client.post(PROFILE, {"display_name": "رنا", "is_staff": "on", "email": "x@evil.example"})
    reader.refresh_from_db()
    assert not reader.is_staff
    assert reader.email == "rana@example.com"


def test_profile_is_never_cached(client, reader):
    client.force_login(reader)
    assert "no-cache" in client.get(PROFILE)["Cache-Control"]


def test_header_of_a_signed_in_reader_comes_from_their_own_endpoint(client, reader):
    client.force_login(reader)
    html = client.get(reverse("articles:home")).content.decode()
    # The shared page has the account area's markup, empty, and no name or token.
    assert "قارئ من حمص" not in html
    assert f'<form class="sign-out" method="post" action="{reverse("accounts:logout")}">' in html
    assert not re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)
    state = client.get(reverse("comments:reader")).json()
    assert state["user"]["name"] == "قارئ من حمص"
    assert state["user"]["profile_url"] == PROFILE
    assert len(state["csrf_token"]) == 64


def test_header_of_an_unconfirmed_reader_links_to_resend(client):
    client.force_login(factories.make_reader(email_confirmed=False))
    state = client.get(reverse("comments:reader")).json()
    assert state["user"]["confirm_email_url"] == reverse("accounts:confirm_email_resend")


def test_anonymous_page_has_sign_in_link_and_dialog_without_csrf_cookie(client, article):
    response = client.get(reverse("articles:home"))
    html = response.content.decode()
    login = reverse("accounts:login")
    assert f'href="{login}?next=' in html
    assert "data-signin-open" in html
    assert '<dialog id="signin-dialog"' in html
    assert "مرحباً بعودتك" in html
    assert "سجّل الدخول إلى حسابك" in html
    assert "نسيت كلمة المرور؟" in html
    assert reverse("accounts:signup") in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert "/static/js/signin.js" in html
    assert "onclick" not in html
    # The token is fetched when the dialog opens, so the page itself sets no cookie.
    assert "csrftoken" not in response.cookies


def test_dialog_returns_to_the_page_it_was_opened_on(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="next" value="{article.get_absolute_url()}">' in html


def test_dialog_sign_in_with_a_fetched_token_passes_csrf(reader):
    client = Client(enforce_csrf_checks=True)
    token = client.get(reverse("accounts:csrf")).json()["token"]
    response = client.post(
        reverse("accounts:login"),
        {
            "csrfmiddlewaretoken": token,
            "username": "rana",
            "password": "pass-1234-word",
            "next": "/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_without_a_csrf_token_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "rana", "password": "pass-1234-word"}
    )
    assert response.status_code == 403
