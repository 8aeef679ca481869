"""The push endpoints: subscribe, choose, unsubscribe, the public config, the service worker
and the bell's markup."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from push.models import PushSubscription
from tests import factories

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("push:subscribe")
CHOICE = reverse("push:choice")
UNSUBSCRIBE = reverse("push:unsubscribe")


def post(url, data, client=None, **headers):
    return (client or Client()).post(
        url, json.dumps(data), content_type="application/json", **headers
    )


def test_a_subscription_is_stored_with_the_choice_and_nothing_personal(receiver, vapid, section):
    browser = receiver.browser("a")
    response = post(SUBSCRIBE, browser.subscription_json(breaking=True, sections=[section.pk]))
    assert response.status_code == 201
    assert response.json() == {"ok": True, "breaking": True, "sections": [section.pk]}
    row = PushSubscription.objects.get()
    assert (row.endpoint, row.p256dh, row.auth) == (browser.endpoint, browser.p256dh, browser.auth)
    assert list(row.sections.all()) == [section]
    # No account, address or user agent is kept: only the push service's data and the choice.
    columns = {f.name for f in PushSubscription._meta.get_fields()}
    assert columns == {
        "id",
        "endpoint",
        "p256dh",
        "auth",
        "breaking",
        "sections",
        "created_at",
        "last_success",
        "failures",
    }


def test_answers_are_private_and_set_no_cookie(receiver, vapid):
    response = post(SUBSCRIBE, receiver.browser("a").subscription_json())
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    assert "Surrogate-Key" not in response
    bad = post(SUBSCRIBE, {"endpoint": "x"})
    assert bad["Cache-Control"] == "private, no-store"


def test_subscribing_again_refreshes_the_row_instead_of_adding_one(receiver, vapid, section):
    browser = receiver.browser("a")
    post(SUBSCRIBE, browser.subscription_json())
    again = post(SUBSCRIBE, browser.subscription_json(sections=[section.pk]))
    assert again.status_code == 200
    assert PushSubscription.objects.count() == 1
    assert list(PushSubscription.objects.get().sections.all()) == [section]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"endpoint": "https://evil.example/push/a"}, "عنوان الإشعارات هذا غير مقبول."),
        ({"endpoint": "ftp://127.0.0.1/a"}, "عنوان الإشعارات هذا غير مقبول."),
        ({"endpoint": "http://127.0.0.1/" + "a" * 1000}, "عنوان الإشعارات هذا غير مقبول."),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAA"}}, "مفاتيح التشفير في المتصفح غير صالحة."),
        ({"sections": [999999]}, "أحد الأقسام المختارة غير موجود."),
        ({"sections": list(range(1, 30))}, "اختر أقساماً أقل."),
        ({"breaking": False, "sections": []}, "اختر الأخبار العاجلة أو قسماً."),
    ],
)
def test_invalid_subscriptions_are_refused_in_arabic(receiver, vapid, change, message):
    data = {**receiver.browser("a").subscription_json(), **change}
    response = post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert response.json()["error"] == message
    assert not PushSubscription.objects.exists()


def test_a_p256dh_that_is_not_a_curve_point_is_refused(receiver, vapid):
    data = receiver.browser("a").subscription_json()
    data["keys"]["p256dh"] = "BA" + "A" * 85  # 65 bytes starting 0x04, not on the curve
    assert post(SUBSCRIBE, data).status_code == 400


def test_plain_http_endpoints_are_refused_unless_allowed(receiver, vapid, settings):
    settings.PUSH_ALLOW_HTTP = False
    assert post(SUBSCRIBE, receiver.browser("a").subscription_json()).status_code == 400


def test_only_same_origin_json_is_accepted(receiver, vapid):
    data = receiver.browser("a").subscription_json()
    form = Client().post(SUBSCRIBE, {"endpoint": data["endpoint"]})
    assert form.status_code == 415
    foreign = post(SUBSCRIBE, data, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403
    cross_site = post(SUBSCRIBE, data, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross_site.status_code == 403
    assert Client().get(SUBSCRIBE).status_code == 405
    same = post(SUBSCRIBE, data, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert same.status_code == 201


def test_csrf_is_not_needed_because_no_cookie_is_involved(receiver, vapid):
    client = Client(enforce_csrf_checks=True)
    assert post(SUBSCRIBE, receiver.browser("a").subscription_json(), client).status_code == 201


def test_new_subscriptions_are_rate_limited_per_address(receiver, vapid, settings):
    settings.PUSH_SUBSCRIBE_RATE = "2/h"
    first = receiver.browser("a")
    for name in ("a", "b"):
        assert post(SUBSCRIBE, receiver.browser(name).subscription_json()).status_code == 201
    refused = post(SUBSCRIBE, receiver.browser("c").subscription_json())
    assert refused.status_code == 429
    assert refused.json()["error"] == "اشتراكات كثيرة من هذه الشبكة. حاول مجدداً لاحقاً."
    assert PushSubscription.objects.count() == 2
    # A browser already subscribed may still change its choice.
    assert PushSubscription.objects.filter(endpoint=first.endpoint).exists()


def test_the_choice_changes_only_with_the_browsers_secret(receiver, vapid, section):
    browser = receiver.browser("a")
    post(SUBSCRIBE, browser.subscription_json())
    wrong = post(CHOICE, {"endpoint": browser.endpoint, "keys": {"auth": "x"}, "sections": [1]})
    assert wrong.status_code == 404
    data = {"endpoint": browser.endpoint, "keys": {"auth": browser.auth}}
    response = post(CHOICE, {**data, "breaking": True, "sections": [section.pk]})
    assert response.status_code == 200
    assert list(PushSubscription.objects.get().sections.all()) == [section]


def test_unsubscribe_needs_the_secret_and_removes_the_row(receiver, vapid):
    browser = receiver.browser("a")
    post(SUBSCRIBE, browser.subscription_json())
    post(UNSUBSCRIBE, {"endpoint": browser.endpoint, "keys": {"auth": "AAAAAAAAAAAAAAAAAAAAAA"}})
    assert PushSubscription.objects.count() == 1
    response = post(UNSUBSCRIBE, browser.subscription_json())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not PushSubscription.objects.exists()


def test_push_is_off_without_vapid_keys(receiver, settings):
    settings.VAPID_PUBLIC_KEY = ""
    response = post(SUBSCRIBE, receiver.browser("a").subscription_json())
    assert response.status_code == 404
    assert Client().get(reverse("push:config")).status_code == 404
    factories.make_site_settings()
    assert b"data-push" not in Client().get("/").content


def test_config_is_public_and_lists_the_sections(vapid, section):
    response = Client().get(reverse("push:config"))
    assert response.json() == {"key": vapid, "sections": [{"id": section.pk, "name": section.name}]}
    assert response["Cache-Control"].startswith("public,")
    assert "push-config" in response["Surrogate-Key"].split()


def test_bell_offers_push_with_the_same_bytes_for_everyone(vapid, article):
    factories.make_site_settings()
    reader = Client()
    reader.force_login(factories.make_user(username="reader"))
    anonymous = Client().get("/").content
    assert anonymous == reader.get("/").content
    assert b"data-push hidden" in anonymous
    assert b"/static/js/push.js" in anonymous
    assert "تفعيل الإشعارات".encode() in anonymous


def test_service_worker_is_served_at_the_root_for_the_whole_site():
    response = Client().get("/push-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content
    assert response["Cache-Control"].startswith("public,")


def test_the_policy_allows_our_own_service_worker():
    response = Client().get("/push-sw.js")
    assert "worker-src 'self'" in response["Content-Security-Policy"]
