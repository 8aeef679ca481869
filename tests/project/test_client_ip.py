"""The reader's address behind reverse proxies (TRUSTED_PROXY_COUNT), used by every throttle."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from levant24.client_ip import client_ip


def request(rf, remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(rf, "198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(rf, "127.0.0.1", "203.0.113.5")) == "203.0.113.5"


def test_an_address_forged_by_the_client_on_the_left_is_not_believed(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = request(rf, "127.0.0.1", "1.2.3.4, 203.0.113.5")
    assert client_ip(forged) == "203.0.113.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    chain = request(rf, "10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.1")
    assert client_ip(chain) == "203.0.113.5"


@pytest.mark.parametrize("header", [None, "", "not-an-address", " , "])
def test_a_missing_or_broken_header_falls_back_to_the_socket_address(rf, settings, header):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(rf, "198.51.100.7", header)) == "198.51.100.7"


@pytest.mark.django_db
def test_comments_record_and_throttle_the_forwarded_address(settings, article):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("comments:post", args=[article.pk])
    data = {"text": "تعليق من خلف الوكيل", "name": "هالة", "email": "hala@example.org"}
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    proxy.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert list(Comment.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    # Another reader behind the same proxy is not caught by the first one's 15-second limit.
    other = dict(data, text="تعليق قارئ آخر", email="other@example.org")
    proxy.post(url, other, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert Comment.objects.count() == 2
    # The same reader again within 15 seconds is refused.
    again = dict(data, text="تعليق ثالث سريع")
    response = proxy.post(url, again, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 400
    assert Comment.objects.count() == 2
