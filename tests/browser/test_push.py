"""Push notifications in a real browser: the reader turns them on from the bell for one
section; the service worker registers and activates at the site's root, the subscription is
stored with the choice, and a breaking line then reaches the browser's push service.

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
  const data = %s;
  let current = null;
  const make = () => ({
    endpoint: data.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint: data.endpoint, expirationTime: null, keys: data.keys }),
    unsubscribe: () => { current = null; return Promise.resolve(true); },
  });
  if (!self.PushManager) return;
  PushManager.prototype.subscribe = function (options) {
    if (!options || !options.applicationServerKey) return Promise.reject(new Error("no key"));
    window.__pushKey = Array.from(new Uint8Array(options.applicationServerKey)).length;
    current = make();
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
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
