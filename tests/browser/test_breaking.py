"""The breaking strip in a real browser: loaded on every page, accessible, dismissible."""

import pytest

from tests import factories

from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_strip_shows_the_line_is_axe_clean_and_stays_dismissed(page, site_content):
    line = factories.make_breaking_line(
        text="عاجل: فتح طريق حلب دمشق الدولي", article=site_content["article"]
    )
    page.goto("/")
    strip = page.locator("[data-breaking-strip]")
    strip.wait_for()
    assert strip.get_attribute("role") == "region"
    assert strip.get_attribute("aria-label") == "أخبار عاجلة"
    assert strip.get_attribute("data-breaking-id") == str(line.pk)
    link = strip.locator("a.breaking-text")
    assert link.inner_text() == "عاجل: فتح طريق حلب دمشق الدولي"
    assert link.get_attribute("href") == site_content["article"].get_absolute_url()
    assert page.evaluate("getComputedStyle(document.querySelector('.breaking')).direction") == (
        "rtl"
    )
    assert blocking_violations(page) == []

    dismiss = strip.get_by_role("button", name="إخفاء هذا الخبر العاجل")
    dismiss.focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-breaking-strip]").count() == 0
    page.goto(site_content["article"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-breaking-strip]").count() == 0

    newer = factories.make_breaking_line(text="عاجل: خبر آخر أحدث")
    page.goto("/")
    page.locator(f"[data-breaking-id='{newer.pk}']").wait_for()
