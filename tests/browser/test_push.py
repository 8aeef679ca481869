"""Push notifications in a real browser: the reader turns them on from the bell for one
section; the service worker registers and activates at the site's root, the subscription is
stored with the choice, a push delivered to the worker shows an Arabic, right-to-left
notification, and a breaking line then reaches the browser's push service.

Headless Chromium cannot reach a real push service, so ``PushManager.subscribe`` is replaced
in the page by one that returns a subscription whose endpoint is a local receiver and whose
keys are real (a P-256 public key and a 16-byte secret, made here): everything else (the
service worker, our script, the server, the encryption) is the real thing."""

import json

import pytest

from push.models import PushSubscription
from push.services import vapid_key_pair
from tests import factories
from tests.push.receiver import running_receiver

from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)

STUB = """
(() => {
  // The subscription lives as long as the browser profile, as a real one does.
  const data = %s;
  const FLAG = "test:push-subscribed";
  const make = () => ({
    endpoint: data.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint: data.endpoint, expirationTime: null, keys: data.keys }),
    unsubscribe: () => { localStorage.removeItem(FLAG); return Promise.resolve(true); },
  });
  if (!self.PushManager) return;
  PushManager.prototype.subscribe = function (options) {
    if (!options || !options.applicationServerKey) return Promise.reject(new Error("no key"));
    window.__pushKey = Array.from(new Uint8Array(options.applicationServerKey)).length;
    localStorage.setItem(FLAG, "1");
    return Promise.resolve(make());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem(FLAG) ? make() : null);
  };
})();
"""


@pytest.fixture
def push_on(settings):
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:desk@levant24.example"
    return public


def test_reader_turns_on_notifications_for_a_section_from_the_bell(page, site_content, push_on):
    section = site_content["section"]
    factories.make_section(name="اقتصاد", slug="اقتصاد")
    with running_receiver() as receiver:
        browser = receiver.browser("chromium")
        page.add_init_script(STUB % json.dumps(browser.subscription_json()))
        page.goto("/")
        page.locator("[data-bell]").wait_for(state="visible")
        page.locator(".bell-button").click()
        offer = page.locator("[data-push]")
        offer.wait_for(state="visible")
        assert page.locator("html").get_attribute("dir") == "rtl"

        page.get_by_label("الأخبار العاجلة وقسماً واحداً").check()
        page.get_by_label("القسم", exact=True).select_option(label=section.name)
        page.get_by_role("button", name="تفعيل الإشعارات").click()
        page.get_by_text("الإشعارات مفعّلة على هذا الجهاز.").wait_for()
        assert page.get_by_role("button", name="إيقاف الإشعارات").is_visible()
        assert page.evaluate("window.__pushKey") == 65  # our VAPID public key, decoded

        state = page.evaluate(
            """() => navigator.serviceWorker.ready.then(r => ({
                state: r.active && r.active.state, scope: r.scope,
                script: r.active && r.active.scriptURL }))"""
        )
        assert state["state"] == "activated"
        assert state["scope"].endswith("/") and state["script"].endswith("/push-sw.js")
        assert blocking_violations(page) == []

        subscription = PushSubscription.objects.get()
        assert subscription.endpoint == browser.endpoint
        assert subscription.breaking is True
        assert list(subscription.sections.all()) == [section]

        # A push delivered to the worker (as the push service would) shows a notification.
        page.context.grant_permissions(["notifications"])
        cdp = page.context.new_cdp_session(page)
        registrations = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda e: registrations.extend(e["registrations"]),
        )
        cdp.send("ServiceWorker.enable")
        for _ in range(50):  # the registrations arrive as events
            live = [r["registrationId"] for r in registrations if not r["isDeleted"]]
            if live:
                break
            page.wait_for_timeout(100)
        registration_id = live[-1]
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")  # activated
        message = {
            "origin": page.evaluate("location.origin"),
            "registrationId": registration_id,
            "data": json.dumps({"title": "عاجل", "body": "نص الخبر", "url": "/", "tag": "t-1"}),
        }
        # A busy machine can drop a message sent while the worker is still starting: send
        # it again (the same tag replaces the notification, so there is never a second).
        shown = []
        for _ in range(5):
            cdp.send("ServiceWorker.deliverPushMessage", message)
            shown = page.evaluate(
                """() => navigator.serviceWorker.ready.then(async r => {
                    for (let i = 0; i < 30; i++) {
                      const list = await r.getNotifications();
                      if (list.length) return list.map(n => [n.title, n.body, n.tag, n.dir]);
                      await new Promise(done => setTimeout(done, 100));
                    }
                    return [];
                })"""
            )
            if shown:
                break
        assert shown == [["عاجل", "نص الخبر", "t-1", "rtl"]]

        # On the next page the bell shows the choice made and offers to turn it off.
        page.goto(site_content["article"].get_absolute_url())
        page.locator(".bell-button").click()
        page.get_by_role("button", name="إيقاف الإشعارات").wait_for()
        assert page.get_by_label("الأخبار العاجلة وقسماً واحداً").is_checked()
        assert page.get_by_label("القسم", exact=True).input_value() == str(section.pk)

        # The next breaking line reaches this browser's push service.
        factories.make_breaking_line(text="عاجل: إغلاق مطار دمشق بسبب الضباب")
        assert [r["path"] for r in receiver.received] == ["/push/chromium"]

        page.get_by_role("button", name="إيقاف الإشعارات").click()
        page.get_by_text("الإشعارات متوقفة على هذا الجهاز.").wait_for()
        assert not PushSubscription.objects.exists()


def test_the_bell_offers_nothing_while_push_is_off(page, site_content):
    page.goto("/")
    page.locator("[data-bell]").wait_for(state="visible")
    assert page.locator("[data-push]").count() == 0
