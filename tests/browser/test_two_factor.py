"""Two-factor sign-in in a real browser, in Arabic: an editor enrols, signs out, signs back in
with a code. The codes are computed from the key the page shows, as the phone app would."""

import base64
import re

from django.urls import reverse
from django_otp.oath import totp

from tests import factories

from .conftest import screenshot
from .test_accessibility import blocking_violations, unlabelled_fields
from .test_journeys import follow, messages_text

PASSWORD = "levant24-test-pass"


def app_code(secret_text: str, *, seconds_from_now=0) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, t0=-seconds_from_now):06d}"


def assert_arabic_and_clean(page):
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert blocking_violations(page) == []
    assert unlabelled_fields(page) == []


def password_step(page, username):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    follow(page, page.locator("#login-form [type=submit]"))


def test_journey_editor_enrols_signs_out_and_signs_in_with_a_code(page, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["superuser", "editor"]
    factories.make_staff(role="editor", username="omar", password=PASSWORD, display_name="عمر")

    # First sign-in: the password leads to enrolment, not into the admin.
    password_step(page, "omar")
    assert re.search(r"/admin/two-factor/setup/", page.url), page.url
    assert "دورك يتطلب خطوة تحقق ثانية" in page.content()
    qr = page.locator(".two-factor-qr img")
    assert qr.is_visible()
    assert page.evaluate("img => img.naturalWidth > 0", qr.element_handle())
    assert_arabic_and_clean(page)
    screenshot(page, "two-factor-setup")

    secret = page.locator("#two-factor-secret").inner_text()
    page.fill("#id_code", app_code(secret))
    page.fill("#id_name", "هاتف عمر")
    follow(page, page.locator("#two-factor-form [type=submit]"))

    # Ten recovery codes, once.
    assert "/admin/two-factor/recovery-codes/" in page.url, messages_text(page)
    assert page.locator("#recovery-codes li").count() == 10
    assert "التحقق بخطوتين مفعّل الآن لحسابك." in messages_text(page)
    assert_arabic_and_clean(page)
    screenshot(page, "two-factor-recovery-codes")
    follow(page, page.get_by_role("link", name="حفظت الرموز"))
    assert page.url.endswith("/admin/")

    # Sign out, and back in: password, then a code.
    follow(page, page.locator("#logout-form button"))
    password_step(page, "omar")
    assert "/admin/two-factor/code/" in page.url
    assert_arabic_and_clean(page)
    page.goto(reverse("admin:index"))
    assert "/admin/two-factor/code/" in page.url  # still closed without the code

    page.fill("#id_code", "123456" if app_code(secret) != "123456" else "654321")
    follow(page, page.locator("#two-factor-form [type=submit]"))
    assert "هذا الرمز غير صالح" in messages_text(page)
    assert_arabic_and_clean(page)
    screenshot(page, "two-factor-code")

    # The code the app shows next (the one used to enrol cannot be used again).
    page.fill("#id_code", app_code(secret, seconds_from_now=30))
    follow(page, page.locator("#two-factor-form [type=submit]"))
    assert page.url.endswith("/admin/"), messages_text(page)

    # The editor's own page lists the phone.
    follow(page, page.get_by_role("link", name="التحقق بخطوتين"))
    assert "هاتف عمر" in page.locator("#two-factor-devices").inner_text()
    assert_arabic_and_clean(page)
    screenshot(page, "two-factor-devices")
