"""Through a real Varnish: push subscriptions always reach the app and are never kept; the
service worker and the public push config are kept like any shared file."""

import json
import os
import urllib.request

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from push.models import PushSubscription
from push.services import vapid_key_pair
from tests.push.receiver import Browser

from .conftest import _get

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.edge]


@pytest.fixture
def push_on(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()


def _post_json(url, data):
    request = urllib.request.Request(
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers)


def test_subscriptions_pass_the_edge_and_are_never_kept(edge, push_on, section):
    browser = Browser(
        "http://127.0.0.1:9/push/edge", ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
    )
    data = browser.subscription_json(sections=[section.pk])
    status, headers = _post_json(edge + "/push/subscribe", data)
    assert status == 201
    assert headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in headers
    assert headers.get("X-Cache") != "HIT"
    status, _headers = _post_json(edge + "/push/unsubscribe", data)
    assert status == 200
    assert not PushSubscription.objects.exists()  # the second request reached the app too


def test_service_worker_and_config_are_shared_by_the_edge(edge, push_on):
    for path in ("/push-sw.js", "/push/config.json"):
        _get(edge + path)
        status, headers, _body = _get(edge + path)
        assert (status, headers["X-Cache"]) == (200, "HIT"), path
    headers = _get(edge + "/push-sw.js")[1]
    assert headers["Service-Worker-Allowed"] == "/"
    assert headers["Content-Type"].startswith("text/javascript")
