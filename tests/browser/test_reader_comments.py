"""The reader's comment journey at phone and desktop widths: what a reader must see after
posting a comment or sending a form with mistakes, and the notifications panel, measured in
the page (in the viewport, not covered by the fixed reading bar, focus where it should be)."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import DESKTOP, PHONE

LONG_BODY = "".join(
    f"<p>الفقرة {n}: عادت الحركة إلى أسواق المدينة القديمة بعد أشهر من الترميم، وافتتح التجار "
    "محلاتهم في سوق العطارين وسوق الحبال وسط إقبال من الأهالي والزوار القادمين من الريف.</p>"
    for n in range(40)
)

# In the viewport, and the element itself is what is drawn at its centre and just under its top
# edge (no fixed bar over it).
SEEN = """el => {
  const r = el.getBoundingClientRect();
  const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  const x = r.left + r.width / 2;
  const hit = document.elementFromPoint(x, r.top + r.height / 2);
  const top = document.elementFromPoint(x, r.top + 2);
  return {inside, uncovered: !!hit && el.contains(hit) && !!top && el.contains(top),
          top: r.top, bottom: r.bottom, hit: hit ? hit.className || hit.tagName : null};
}"""


def assert_seen(locator, what):
    seen = locator.evaluate(SEEN)
    assert seen["inside"], f"{what} is outside the viewport: {seen}"
    assert seen["uncovered"], f"{what} is covered: {seen}"


@pytest.fixture
def article(db):
    article = factories.make_article(title="أسواق حلب القديمة تفتح أبوابها", body=LONG_BODY)
    for name in ("سلمى الحلبي", "يوسف الخطيب", "رنا العمر"):
        factories.make_comment(article=article, name=name, text="تعليق منشور عن الأسواق. " * 8)
    return article


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_after_posting_the_new_comment_and_the_thanks_are_in_sight(page, article, viewport):
    page.set_viewport_size(viewport)
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.locator("#id_text").fill("شكراً على هذا التقرير عن الأسواق.")
    form.locator("#id_name").fill("أحمد الساعور")
    form.locator("#id_email").fill("ahmad@example.org")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()
    page.locator("body[data-reader-ready]").wait_for(state="attached")
    pending = page.locator(".is-pending .comment-body")
    message = page.locator("#comments .messages .message")
    assert "وصلنا تعليقك" in message.inner_text()
    assert pending.locator(".avatar").inner_text() == "أس"
    # The page has scrolled past the article's header: the reading bar is shown.
    expect(page.locator("[data-reading-bar]")).to_be_visible()
    assert_seen(pending, "the pending comment")
    assert_seen(message, "the thank-you message")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_a_form_with_mistakes_opens_at_its_focused_error_summary(page, article, viewport):
    page.set_viewport_size(viewport)
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.locator("#id_text").fill("تعليق بلا بريد.")
    form.locator("#id_name").fill("ليلى")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()
    summary = page.locator("#comment-form [data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator(".error-summary-title").inner_text().strip() == "لم يُرسل تعليقك بعد:"
    link = summary.get_by_role("link")
    assert link.count() == 1
    assert link.inner_text().strip() == "البريد الإلكتروني: يرجى كتابة بريدك الإلكتروني."
    assert link.get_attribute("href") == "#id_email"
    expect(summary).to_be_focused()
    assert_seen(summary, "the error summary")
    # What was typed is still there, and the summary's link puts the cursor in the field.
    assert form.locator("#id_text").input_value() == "تعليق بلا بريد."
    link.click()
    expect(form.locator("#id_email")).to_be_focused()
    assert_seen(form.locator("#id_email"), "the email field")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_notifications_panel_stays_inside_the_viewport(page, article, viewport):
    factories.make_article(title="انطلاق معرض الكتاب في دمشق بمشاركة مئة دار نشر عربية")
    page.set_viewport_size(viewport)
    page.goto("/")
    button = page.locator(".bell-button")
    expect(button).to_be_visible()
    button.click()
    panel = page.locator("#bell-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-bell-list] a").first).to_be_visible()
    box = panel.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, (box, width)
    # Every headline starts inside the panel (right-to-left: its right edge), none cut off.
    for link in panel.locator("[data-bell-list] li").all():
        item = link.bounding_box()
        assert box["x"] <= item["x"] and item["x"] + item["width"] <= box["x"] + box["width"]
    assert_seen(panel, "the notifications panel")
