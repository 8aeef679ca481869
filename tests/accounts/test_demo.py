import io

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from accounts import demo

pytestmark = pytest.mark.django_db


def test_demo_creates_two_readers_with_printed_passwords_that_sign_in(client):
    out = io.StringIO()
    demo.load(stdout=out)
    printed = out.getvalue()
    readers = get_user_model().objects.filter(username__in=["reader1", "reader2"])
    assert readers.count() == 2
    for reader in readers:
        assert not reader.is_staff
        assert reader.email_confirmed
        password = next(
            d["password"] for d in demo.DEMO_READERS if d["username"] == reader.username
        )
        assert f"{reader.username} " in printed
        assert password in printed
        client.post(reverse("accounts:login"), {"username": reader.email, "password": password})
        assert client.session[SESSION_KEY] == str(reader.pk)
        client.logout()


def test_demo_is_idempotent_and_restores_the_printed_password():
    demo.load(stdout=io.StringIO())
    user = get_user_model().objects.get(username="reader1")
    user.set_password("changed-by-someone")
    user.save()
    out = io.StringIO()
    demo.load(stdout=out)
    assert get_user_model().objects.filter(username__startswith="reader").count() == 2
    user.refresh_from_db()
    assert user.check_password(demo.DEMO_READERS[0]["password"])
    assert "updated reader reader1" in out.getvalue()
