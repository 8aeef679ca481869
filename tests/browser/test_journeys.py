"""The three everyday journeys, driven through the real pages in headless Chromium, in Arabic.

Each test is one person's (or one newsroom's) path from start to finish: no shortcut through
the ORM where a person would click, type or open an email. The ORM is only used to set the
scene (accounts, a section, an article) and, in the comment journey, to let time pass.
"""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from PIL import Image

from articles.models import Article, Kind, Status
from comments.models import Comment
from tests import factories

from .conftest import EDITOR

PASSWORD = "levant24-test-pass"


def admin_sign_in(page, username, password=PASSWORD):
    """Through Django's admin sign-in form, as a member of staff does every morning."""
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    follow(page, page.locator("#login-form [type=submit]"))
    page.wait_for_url(re.compile(r"/admin/$"))


def admin_sign_out(page):
    follow(page, page.locator("#logout-form button"))
    # Signing out of the admin leads to the public home page, signed out.
    assert page.locator(".site-header a.sign-in").is_visible()


def follow(page, target):
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()


def messages_text(page) -> str:
    """The messages at the top of the page, and any form errors (to explain a failure)."""
    if page.locator("body[data-reader-url]").count():
        # Public pages show the reader's messages once their own endpoint has answered.
        page.locator("body[data-reader-ready]").wait_for(state="attached")
    shown = page.locator("ul.messagelist li, .messages .message, .errornote, .errorlist")
    return " ".join(shown.all_inner_texts())


# --------------------------------------------------------------------------------------------
# Journey 1: the newsroom
# --------------------------------------------------------------------------------------------

TITLE = "حوار مع عازفة العود التي أعادت فتح معهد الموسيقى"


def _choose_block(page, name):
    """The editor's block-type menu: open it, pick heading 2 / paragraph."""
    page.locator(".prose-editor .prose-menubar__selected").click()
    page.locator(f".prose-menubar__picker [data-name={name}]").click()


def _toolbar(page, name):
    return page.locator(f".prose-editor .prose-menubar__button[data-name='{name}']")


def test_journey_newsroom_journalist_writes_interview_editor_publishes_readers_see_it(
    page, person, tmp_path
):
    section = factories.make_section(name="ثقافة", slug="ثقافة")
    factories.make_staff(
        role="journalist", username="rana", password=PASSWORD, display_name="رنا الحلبي"
    )
    factories.make_staff(role="editor", username="omar", password=PASSWORD)
    # An older lead story, so the new interview has to find its own place on the home page.
    factories.make_article(title="أسواق حلب تستعد للشتاء", section=section, is_lead=True)
    photo = tmp_path / "oud.png"
    Image.new("RGB", (1200, 675), (40, 90, 120)).save(photo, "PNG")

    # The journalist signs in and opens a new interview from the admin menu.
    admin_sign_in(page, "rana")
    follow(page, page.locator("#content-main tr.model-interviewarticle th a"))
    follow(page, page.locator(".object-tools a.addlink"))
    assert page.locator("#content h1").inner_text() == "إضافة مقابلة"

    page.fill("#id_title", TITLE)
    page.locator("#id_section").select_option(label="ثقافة")
    page.fill("#id_lead", "عازفة شابة تحكي كيف أعادت الحياة إلى معهد الموسيقى في حيّها القديم.")

    # The body, written with the editor's toolbar: a heading, bold words, a link.
    editor = page.locator(EDITOR)
    editor.click()
    _choose_block(page, "heading2")
    page.keyboard.type("ذكريات المعهد القديم")
    page.keyboard.press("Enter")
    page.keyboard.type("بدأت الحكاية في حي ")
    _toolbar(page, "bold").click()
    page.keyboard.type("القيمرية")
    _toolbar(page, "bold").click()
    page.keyboard.type(" حين كانت المدينة تنام على صوت العود.")
    page.keyboard.press("Enter")
    page.keyboard.type("نص الحوار الكامل")
    page.keyboard.press("Shift+Home")
    _toolbar(page, "link").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input").first.fill("https://example.org/oud")
    dialog.locator("button[type=submit], input[type=submit]").first.click()
    assert editor.locator("h2").inner_text() == "ذكريات المعهد القديم"
    assert editor.locator("strong").inner_text() == "القيمرية"
    assert editor.locator("a").inner_text() == "نص الحوار الكامل"

    # The featured image, its caption, credit and alt text; the interviewee.
    page.set_input_files("#id_image", str(photo))
    page.fill("#id_image_caption", "العازفة في قاعة المعهد")
    page.fill("#id_image_credit", "أرشيف المعهد")
    page.fill("#id_image_alt", "عازفة تحمل عوداً في قاعة تدريب")
    page.fill("#id_interviewee_name", "ليلى الأتاسي")
    page.fill("#id_interviewee_role", "مديرة معهد الموسيقى")

    follow(page, page.locator("input[name=_continue]"))
    assert "/change/" in page.url, messages_text(page)
    assert page.locator(".errornote").count() == 0
    article = Article.objects.get(title=TITLE)
    assert (article.kind, article.status, article.author.username) == (
        Kind.INTERVIEW,
        Status.DRAFT,
        "rana",
    )
    assert page.locator(".field-image_preview img").get_attribute("alt") == (
        "عازفة تحمل عوداً في قاعة تدريب"
    )

    # Submit for review: the journalist cannot publish, the editors are asked to.
    assert page.locator("input[name=_publish]").count() == 0
    follow(page, page.get_by_role("button", name="حفظ وإرسال للمراجعة"))
    assert "أُرسل المقال إلى رؤساء التحرير للمراجعة." in messages_text(page)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    admin_sign_out(page)

    # The editor signs in, finds it waiting for review and publishes it.
    editor_page = person()
    admin_sign_in(editor_page, "omar")
    follow(editor_page, editor_page.locator("a.review-count"))
    follow(editor_page, editor_page.get_by_role("link", name=TITLE))
    editor_page.locator(EDITOR).wait_for()
    assert editor_page.locator(EDITOR).locator("h2").inner_text() == "ذكريات المعهد القديم"
    follow(editor_page, editor_page.get_by_role("button", name="حفظ ونشر (أو جدولة في وقت النشر)"))
    assert "نُشر المقال." in messages_text(editor_page)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.is_public

    # A reader: the home page, then the interviews listing through the menu.
    reader = person()
    reader.goto(reverse("articles:home"))
    assert reader.get_by_role("link", name=TITLE).first.is_visible()
    reader.locator("#main-menu .submenu-toggle").click()
    follow(reader, reader.locator("#main-menu .submenu").get_by_role("link", name="مقابلات"))
    assert reader.locator("h1").first.inner_text().strip() == "مقابلات"
    follow(reader, reader.locator("main").get_by_role("link", name=TITLE).first)
    reader.wait_for_url(re.compile(re.escape(article.get_absolute_url()) + "$"))

    # The article page, top to bottom.
    crumbs = reader.locator("nav.breadcrumb li").all_inner_texts()
    assert crumbs[1:] == ["ثقافة", TITLE], crumbs
    assert reader.locator(".article-header .labels").inner_text().split() == ["مقابلة", "ثقافة"]
    assert reader.locator(".article-header h1").inner_text() == TITLE
    assert reader.locator(".byline-author").inner_text() == "بقلم رنا الحلبي"
    published = reader.locator(".byline-date").first.inner_text()
    assert re.fullmatch(r"تم النشر \d{2}/\d{2}/\d{4}", published), published
    featured = reader.locator(".article .featured")
    assert featured.locator("img").get_attribute("alt") == "عازفة تحمل عوداً في قاعة تدريب"
    assert featured.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert featured.locator("figcaption").inner_text() == "العازفة في قاعة المعهد (أرشيف المعهد)"
    assert reader.locator(".interviewee").inner_text() == (
        "حوار مع ليلى الأتاسي، مديرة معهد الموسيقى"
    )
    body = reader.locator(".article .body")
    assert body.locator("h2").inner_text() == "ذكريات المعهد القديم"
    assert body.locator("strong").inner_text() == "القيمرية"
    link = body.get_by_role("link", name="نص الحوار الكامل")
    assert link.get_attribute("href") == "https://example.org/oud"
    shares = reader.locator(".share-links a.share").all_inner_texts()
    assert len(shares) >= 4, shares
    assert reader.locator("#comment-form").is_visible()
    assert reader.locator("#comments").get_by_role("button", name="أرسل التعليق").is_visible()


# --------------------------------------------------------------------------------------------
# Journey 2: the comment
# --------------------------------------------------------------------------------------------

FIRST_COMMENT = "شكراً على هذا التقرير، أتمنى أن تعود الأسواق كما كانت."
REPLY = "أوافقك الرأي، زرت السوق الأسبوع الماضي وبدأت المحلات تفتح من جديد."


def _let_time_pass():
    """Every comment so far was written a minute ago. All the readers of this test share one
    address (127.0.0.1), and one comment per address every 15 seconds is the site's rule:
    its count lives in the cache (the live server's, in this process), so it is emptied."""
    from django.core.cache import cache

    cache.clear()
    for comment in Comment.objects.all():
        Comment.objects.filter(pk=comment.pk).update(
            created_at=comment.created_at - timedelta(minutes=1)
        )


def _approve_in_queue(page, text, name):
    """The moderator's one click on "approve" in the queue's row of that comment."""
    page.goto(reverse("admin:index"))
    follow(page, page.locator("a.pending-comments-count"))
    row = page.locator("#result_list tbody tr", has_text=text)
    assert row.count() == 1, page.locator("#result_list").inner_text()
    follow(page, row.get_by_role("button", name="موافقة"))
    assert f"تعليق {name}: موافَق عليه." in messages_text(page), messages_text(page)


def test_journey_comment_reader_comments_moderator_approves_another_reader_replies(
    page, person, login
):
    article = factories.make_article(title="أسواق حلب القديمة تفتح أبوابها", body=BODY_TEXT)
    moderator_page = person()
    login(factories.make_moderator(username="huda"), moderator_page.context)

    # The first reader forgets the email: the Arabic error, and the text is still there.
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.locator("#id_text").fill(FIRST_COMMENT)
    form.locator("#id_name").fill("ليلى")
    follow(page, form.get_by_role("button", name="أرسل التعليق"))
    form = page.locator("#comment-form")
    assert form.locator(".field-email .field-error").inner_text().strip() == (
        "يرجى كتابة بريدك الإلكتروني."
    )
    assert form.locator("#id_text").input_value() == FIRST_COMMENT
    assert form.locator("#id_name").input_value() == "ليلى"
    assert Comment.objects.count() == 0

    # With the email it is taken, and waits for a moderator (only she sees it meanwhile).
    form.locator("#id_email").fill("layla@example.org")
    follow(page, form.get_by_role("button", name="أرسل التعليق"))
    assert "وصلنا تعليقك" in messages_text(page)
    pending = page.locator(".comment", has_text=FIRST_COMMENT)
    assert pending.locator(".comment-pending").inner_text() == (
        "تعليقك بانتظار المراجعة. لا يراه أحد غيرك."
    )
    first = Comment.objects.get()
    assert first.status == "pending"
    stranger = person()
    stranger.goto(article.get_absolute_url())
    assert stranger.locator(".comment").count() == 0

    # The moderator approves it from the queue.
    _approve_in_queue(moderator_page, FIRST_COMMENT, "ليلى")
    first.refresh_from_db()
    assert first.status == "approved"

    # The reader sees it published: no more "awaiting moderation", and the email nowhere.
    page.reload()
    shown = page.locator(f"#comment-{first.pk}")
    assert shown.locator(".comment-text").inner_text().strip() == FIRST_COMMENT
    assert shown.locator(".comment-author").inner_text().strip() == "ليلى"
    assert page.locator(".comment-pending").count() == 0
    assert "layla@example.org" not in page.content()

    # Another reader: reply, cancel the reply, reply again.
    _let_time_pass()
    stranger.reload()
    respond = stranger.locator("#respond")
    comment = stranger.locator(f"#comment-{first.pk}")
    comment.get_by_role("link", name="رد").click()
    assert comment.locator("#respond").count() == 1, "the form did not move under the comment"
    assert respond.locator("[data-reply-to-heading]").inner_text() == "الرد على ليلى"
    assert stranger.evaluate("document.activeElement.id") == "id_text"
    respond.get_by_role("link", name="إلغاء الرد").click()
    assert comment.locator("#respond").count() == 0
    assert respond.locator("[data-reply-heading]").is_visible()
    assert respond.locator("[data-reply-heading]").inner_text() == "اترك تعليقاً"
    assert not respond.get_by_role("link", name="إلغاء الرد").is_visible()
    assert respond.locator("input[name=parent]").input_value() == ""

    comment.get_by_role("link", name="رد").click()
    form = stranger.locator("#comment-form")
    form.locator("#id_text").fill(REPLY)
    form.locator("#id_name").fill("سامر")
    form.locator("#id_email").fill("samer@example.org")
    follow(stranger, form.get_by_role("button", name="أرسل التعليق"))
    assert "وصلنا تعليقك" in messages_text(stranger), messages_text(stranger)
    reply = Comment.objects.get(text=REPLY)
    assert (reply.parent_id, reply.status) == (first.pk, "pending")

    # Approved, the reply shows threaded under the first comment, indented from the right.
    _approve_in_queue(moderator_page, REPLY, "سامر")
    page.reload()
    parent_item = page.locator("li.comment", has=page.locator(f"#comment-{first.pk}"))
    child = parent_item.locator(f"ol.children > li.comment #comment-{reply.pk}")
    assert child.locator(".comment-text").inner_text().strip() == REPLY
    assert child.locator(".comment-author").inner_text().strip() == "سامر"
    parent_box = page.locator(f"#comment-{first.pk}").bounding_box()
    child_box = child.bounding_box()
    assert child_box["y"] > parent_box["y"]
    assert child_box["x"] + child_box["width"] < parent_box["x"] + parent_box["width"] - 10, (
        parent_box,
        child_box,
    )


BODY_TEXT = (
    "<p>عادت الحركة إلى أسواق المدينة القديمة بعد أشهر من الترميم، وافتتح التجار محلاتهم "
    "في سوق العطارين وسوق الحبال وسط إقبال من الأهالي والزوار.</p>"
)


# --------------------------------------------------------------------------------------------
# Journey 3: the account
# --------------------------------------------------------------------------------------------

EMAIL = "nour@example.org"
FIRST_PASSWORD = "ياسمين-الشام-2026"
NEW_PASSWORD = "قمر-على-دمشق-2027"


def _link_in_last_mail(to, path_start):
    sent = [m for m in mail.outbox if to in m.to]
    assert sent, [m.subject for m in mail.outbox]
    found = re.search(r"https?://\S+" + re.escape(path_start) + r"\S*", sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


def _open_signin_dialog(page):
    page.locator(".site-header a.sign-in").click()
    dialog = page.locator("#signin-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("h2").inner_text() == "مرحباً بعودتك"
    return dialog


def _sign_out(page):
    follow(page, page.locator(".site-header form.sign-out button"))
    assert "تم تسجيل خروجك." in messages_text(page)
    assert page.locator(".site-header a.sign-in").is_visible()


def test_journey_account_signup_confirm_sign_in_sign_out_reset_password(page, mailoutbox):
    article = factories.make_article(title="مهرجان الكتاب يعود إلى دمشق", body=BODY_TEXT)
    page.goto(article.get_absolute_url())

    # Sign up, from the dialog's "create an account" link.
    dialog = _open_signin_dialog(page)
    follow(page, dialog.get_by_role("link", name="أنشئ حساباً"))
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    page.locator("#id_display_name").fill("نور")
    page.locator("main #id_email").fill(EMAIL)
    page.locator("#id_password1").fill(FIRST_PASSWORD)
    page.locator("#id_password2").fill(FIRST_PASSWORD)
    follow(page, page.locator("main button[type=submit]"))
    # The same answer as for an address that already has an account: no sign-in yet.
    assert "أرسلنا رسالة إلى العنوان الذي أدخلته" in messages_text(page), messages_text(page)
    assert "/accounts/login/" in page.url
    assert page.locator(".site-header .user-name").count() == 0

    # Confirm the email through the link in the mail.
    page.goto(_link_in_last_mail(EMAIL, "/accounts/confirm/"))
    assert "شكراً لك، تم تأكيد بريدك الإلكتروني." in messages_text(page)

    # Sign in through the dialog on the article page: back on the article, form filled in.
    page.goto(article.get_absolute_url())
    dialog = _open_signin_dialog(page)
    dialog.get_by_label("البريد الإلكتروني أو اسم المستخدم").fill(EMAIL)
    dialog.get_by_label("كلمة المرور").fill(FIRST_PASSWORD)
    follow(page, dialog.get_by_role("button", name="تسجيل الدخول"))
    assert page.url.endswith(article.get_absolute_url())
    assert page.locator(".site-header .user-name").inner_text() == "نور"
    assert page.locator("#comment-form #id_name").input_value() == "نور"
    assert page.locator("#comment-form #id_email").input_value() == EMAIL
    _sign_out(page)

    # The password is lost: ask for a link from the dialog, choose a new one.
    page.goto(article.get_absolute_url())
    dialog = _open_signin_dialog(page)
    follow(page, dialog.get_by_role("link", name="نسيت كلمة المرور؟"))
    page.wait_for_url(re.compile(r"/accounts/password/reset/$"))
    page.locator("main #id_email").fill(EMAIL)
    follow(page, page.locator("main button[type=submit]"))
    assert page.locator("main h1").inner_text() == "تحقّق من بريدك الإلكتروني"
    page.goto(_link_in_last_mail(EMAIL, "/accounts/password/reset/"))
    assert page.locator("main h1").inner_text() == "اختر كلمة مرور جديدة"
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    follow(page, page.locator("main button[type=submit]"))
    assert page.locator("main h1").inner_text() == "تم تغيير كلمة المرور"

    # The old password no longer works; the new one does.
    page.goto(article.get_absolute_url())
    dialog = _open_signin_dialog(page)
    dialog.get_by_label("البريد الإلكتروني أو اسم المستخدم").fill(EMAIL)
    dialog.get_by_label("كلمة المرور").fill(FIRST_PASSWORD)
    follow(page, dialog.get_by_role("button", name="تسجيل الدخول"))
    assert "غير صحيحة" in page.locator("main").inner_text()
    page.locator("main").get_by_label("كلمة المرور").fill(NEW_PASSWORD)
    follow(page, page.locator("main button[type=submit]"))
    assert page.url.endswith(article.get_absolute_url())
    assert page.locator(".site-header .user-name").inner_text() == "نور"
