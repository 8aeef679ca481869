"""levant24/csrf.py: CSRF tokens made in one draw from the system's random source are the
tokens Django makes, and Django's CSRF check accepts them."""

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from levant24 import csrf


def test_random_strings_use_the_csrf_alphabet_and_never_repeat():
    drawn = [csrf.random_string() for _ in range(500)]
    assert {len(s) for s in drawn} == {32}
    assert set("".join(drawn)) <= set(CSRF_ALLOWED_CHARS)
    assert len(set(drawn)) == 500
    # Every letter of the alphabet turns up (16,000 draws of 62 letters).
    assert set("".join(drawn)) == set(CSRF_ALLOWED_CHARS)


def test_masked_token_unmasks_to_the_secret_and_is_new_each_time():
    secret = csrf.random_string()
    first, second = csrf.mask_secret(secret), csrf.mask_secret(secret)
    assert len(first) == 64 and first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret


def test_get_token_keeps_an_existing_secret_and_marks_the_cookie_for_sending():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    assert _unmask_cipher_token(csrf.get_token(request)) == "a" * 32
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True

    fresh = RequestFactory().get("/")
    token = csrf.get_token(fresh)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]


@pytest.mark.django_db
def test_djangos_csrf_check_accepts_our_tokens():
    client = Client(enforce_csrf_checks=True)
    secret = csrf.random_string()
    client.cookies["csrftoken"] = secret
    url = reverse("accounts:login")
    refused = client.post(url, {"username": "x", "password": "y"})
    assert refused.status_code == 403
    accepted = client.post(
        url, {"username": "x", "password": "y", "csrfmiddlewaretoken": csrf.mask_secret(secret)}
    )
    assert accepted.status_code == 200  # the form again, with its Arabic error
