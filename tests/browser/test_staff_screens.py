"""Staff screens at a phone's and a desktop's width: the moderation queue (geometry, focus,
text, keyboard shortcuts) and the article form (the body is the main, tall field)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Status
from tests import factories

from .conftest import DESKTOP, EDITOR, PHONE

WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
QUEUE = reverse("admin:comments_comment_changelist")

LONG_TEXT = (
    "أتابع أخبار الأسواق القديمة منذ سنوات، وأرى أن إعادة تأهيلها تحتاج إلى خطة واضحة "
    "تشمل الكهرباء والمياه قبل الترميم، وإلا عاد التجار إلى محلات لا تصلح للعمل."
)


def box(locator):
    bbox = locator.bounding_box()
    assert bbox is not None, f"{locator} is not rendered"
    return bbox


def assert_in_view_and_uncovered(page, locator):
    """Entirely inside the viewport, and the element itself is what a tap at its centre hits."""
    locator.scroll_into_view_if_needed()
    b = box(locator)
    view = page.viewport_size
    assert b["x"] >= 0 and b["x"] + b["width"] <= view["width"] + 0.5, (b, view)
    assert b["y"] >= 0 and b["y"] + b["height"] <= view["height"] + 0.5, (b, view)
    hit = locator.evaluate(
        """(el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return top === el || el.contains(top);
        }"""
    )
    assert hit, f"{locator} is covered by another element"


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


@pytest.fixture
def queue(db):
    """Three pending comments, newest first: a reply by a known commenter, a long one, and
    one by a newcomer."""
    article = factories.make_article(title="وفد حكومي يزور حلب القديمة")
    now = timezone.now()
    for status in (Status.APPROVED, Status.APPROVED, Status.REJECTED, Status.SPAM):
        factories.make_comment(article=article, status=status, email="huda@example.org")
    parent = factories.make_comment(
        article=article, name="سامر", text="هل تشمل الزيارة الأسواق المسقوفة؟"
    )
    comments = [
        factories.make_comment(
            article=article,
            status=Status.PENDING,
            parent=parent,
            name="هدى",
            email="huda@example.org",
            text="نعم، شملت سوق المدينة كله.",
            created_at=now - timedelta(minutes=1),
        ),
        factories.make_comment(
            article=article,
            status=Status.PENDING,
            name="قارئ من حمص",
            text=LONG_TEXT,
            created_at=now - timedelta(minutes=2),
        ),
        factories.make_comment(
            article=article,
            status=Status.PENDING,
            name="وافد جديد",
            text="شكراً على التغطية.",
            created_at=now - timedelta(minutes=3),
        ),
    ]
    return {"article": article, "parent": parent, "comments": comments}


def open_queue(context, page, login, viewport):
    page.set_viewport_size(viewport)
    login(factories.make_moderator(username="mod"))
    page.goto(QUEUE)
    return page.locator("#result_list tbody tr")


@WIDTHS
def test_queue_row_is_the_comment_with_its_context_and_buttons_in_reach(
    context, page, login, queue, viewport
):
    rows = open_queue(context, page, login, viewport)
    assert rows.count() == 3
    no_sideways_scroll(page)
    first = rows.nth(0)

    # The text a moderator needs, in the row: name, earlier outcomes, article, parent, comment.
    who = first.locator(".mod-who")
    assert who.locator(".mod-name").inner_text() == "هدى"
    history = who.locator(".mod-history")
    assert history.is_visible()
    assert re.sub(r"\s+", " ", history.inner_text()) == "مقبولة: 2 مرفوضة: 1 مزعجة: 1"
    name_box, history_box = box(who.locator(".mod-name")), box(history)
    assert abs(name_box["y"] - history_box["y"]) < name_box["height"], "not beside the name"
    assert first.locator(".mod-article a").inner_text() == queue["article"].title
    assert "هل تشمل الزيارة الأسواق المسقوفة؟" in first.locator(".mod-parent").inner_text()
    assert first.locator(".mod-text").inner_text() == "نعم، شملت سوق المدينة كله."
    assert "أول تعليق" in rows.nth(2).locator(".mod-history").inner_text()

    # Every button of every row can be seen and pressed.
    for index in range(3):
        for label in ("موافقة", "رفض", "مزعج"):
            button = rows.nth(index).locator(".mod-button", has_text=label)
            assert_in_view_and_uncovered(page, button)

    # The comment is the main column: a long comment reads in full lines, not word by word.
    text = box(rows.nth(1).locator(".mod-text"))
    table = box(page.locator("#result_list"))
    if viewport == PHONE:
        assert text["width"] >= 300, text
    else:
        assert text["width"] >= table["width"] * 0.5, (text, table)
        cells = rows.nth(1).locator("td")
        widest = max(box(cells.nth(i))["width"] for i in range(cells.count()))
        assert box(rows.nth(1).locator("td.field-comment_in_context"))["width"] == widest
    line_height = float(
        rows.nth(1)
        .locator(".mod-text")
        .evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)")
    )
    assert text["height"] / line_height <= 6, "the long comment wraps into too many lines"


@WIDTHS
def test_keyboard_moderates_the_queue_from_the_focused_comment(
    context, page, login, queue, viewport
):
    rows = open_queue(context, page, login, viewport)
    first, second, third = queue["comments"]
    # The first comment has the focus and is marked as the current one.
    assert rows.nth(0).evaluate("(el) => el === document.activeElement")
    assert "is-current" in rows.nth(0).get_attribute("class")
    assert page.locator("#moderation-keys").is_visible() == (viewport == DESKTOP)

    # Typing in the search box is typing, not moderating.
    page.locator("#searchbar").press("KeyA")
    assert Comment.objects.get(pk=first.pk).status == Status.PENDING

    page.locator("#result_list").click(position={"x": 1, "y": 1})
    rows.nth(0).focus()
    page.keyboard.press("KeyN")
    assert rows.nth(1).evaluate("(el) => el === document.activeElement")
    assert rows.nth(1).get_attribute("aria-current") == "true"
    page.keyboard.press("KeyP")
    assert rows.nth(0).evaluate("(el) => el === document.activeElement")

    with page.expect_navigation():
        page.keyboard.press("KeyA")
    assert Comment.objects.get(pk=first.pk).status == Status.APPROVED
    assert "هدى" in page.locator("ul.messagelist").inner_text()
    # Back in the queue, the focus is on what is now the first comment: the next one.
    assert rows.count() == 2
    assert rows.nth(0).evaluate("(el) => el === document.activeElement")
    assert "قارئ من حمص" in rows.nth(0).inner_text()

    with page.expect_navigation():
        page.keyboard.press("KeyR")
    assert Comment.objects.get(pk=second.pk).status == Status.REJECTED
    with page.expect_navigation():
        page.keyboard.press("KeyS")
    assert Comment.objects.get(pk=third.pk).status == Status.SPAM
    assert rows.count() == 0


@WIDTHS
def test_article_form_opens_on_a_full_width_title_and_a_tall_body(page, login, viewport):
    page.set_viewport_size(viewport)
    login(factories.make_staff(role="journalist", username="layla"))
    page.goto(reverse("admin:articles_newsarticle_add"))
    title = page.locator("#id_title")
    fieldset = box(page.locator("fieldset.module").first)
    editor = page.locator(EDITOR)
    editor.wait_for()
    title_box, editor_box, lead_box = box(title), box(editor), box(page.locator("#id_lead"))
    assert title_box["width"] >= fieldset["width"] * 0.85, (title_box, fieldset)
    assert editor_box["width"] >= fieldset["width"] * 0.85, (editor_box, fieldset)
    assert editor_box["height"] >= 300, editor_box
    assert editor_box["height"] > 2 * lead_box["height"], (editor_box, lead_box)
    # Title first, the body right under it, the summary after.
    assert title_box["y"] < editor_box["y"] < lead_box["y"]
    no_sideways_scroll(page)
    editor.click()
    assert editor.evaluate("(el) => el.contains(document.activeElement)")
