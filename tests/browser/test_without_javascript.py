"""A reader whose browser runs no script: the shared article page carries no CSRF token,
yet commenting (with an error and the text kept), replying and seeing one's own pending
comment all work."""

from django.core.cache import cache
from django.urls import reverse

from comments.models import Comment
from tests import factories

from .conftest import DESKTOP
from .test_journeys import follow

TEXT = "قرأت المقال كاملاً\nوأتفق مع معظم ما جاء فيه"


def _reader_without_javascript(chromium, live_server):
    ctx = chromium.new_context(
        base_url=live_server.url,
        locale="ar",
        viewport=DESKTOP,
        java_script_enabled=False,
    )
    ctx.set_default_timeout(10_000)
    return ctx


def test_journey_comment_and_reply_without_javascript(chromium, live_server, transactional_db):
    article = factories.make_article(title="سوق الحميدية في رمضان")
    earlier = factories.make_comment(article=article, name="نادر", text="تعليق سابق منشور")
    url = article.get_absolute_url()
    ctx = _reader_without_javascript(chromium, live_server)
    try:
        page = ctx.new_page()
        page.goto(url)
        assert page.locator("input[name=csrfmiddlewaretoken]").first.input_value() == ""

        # Forgotten email: the page comes back (its token check fails first), text kept.
        form = page.locator("#comment-form")
        form.locator("#id_text").fill(TEXT)
        form.locator("#id_name").fill("سلمى")
        follow(page, form.get_by_role("button", name="أرسل التعليق"))
        form = page.locator("#comment-form")
        assert "لم يُرسل تعليقك بعد" in form.inner_text()
        assert form.locator("#id_text").input_value() == TEXT
        form.locator("#id_email").fill("salma@example.org")
        follow(page, form.get_by_role("button", name="أرسل التعليق"))
        comment = Comment.objects.get(name="سلمى")
        assert comment.status == "pending"
        own = page.locator(f"#comment-{comment.pk}")
        assert own.locator(".comment-pending").inner_text() == (
            "تعليقك بانتظار المراجعة. لا يراه أحد غيرك."
        )
        assert "وصلنا تعليقك" in page.locator("#comments .messages").inner_text()

        # Reply: the link opens the reader's own copy with the form set to reply.
        follow(page, page.locator(f"#comment-{earlier.pk}").get_by_role("link", name="رد"))
        assert "replyto=" in page.url
        form = page.locator("#comment-form")
        assert "الرد على نادر" in page.locator("#reply-title").inner_text()
        cache.clear()  # one comment per address every 15 s: let that time pass
        form.locator("#id_text").fill("رد بلا جافاسكربت")
        form.locator("#id_name").fill("سلمى")
        form.locator("#id_email").fill("salma@example.org")
        follow(page, form.get_by_role("button", name="أرسل التعليق"))
        reply = Comment.objects.get(text="رد بلا جافاسكربت")
        assert reply.parent_id == earlier.pk
        assert page.locator(f"#comment-{reply.pk}").count() == 1
    finally:
        ctx.close()


def test_sign_in_link_leads_to_the_sign_in_page_without_javascript(
    chromium, live_server, transactional_db
):
    article = factories.make_article()
    ctx = _reader_without_javascript(chromium, live_server)
    try:
        page = ctx.new_page()
        page.goto(article.get_absolute_url())
        follow(page, page.locator(".site-header a.sign-in"))
        assert page.url.split("?")[0].endswith(reverse("accounts:login"))
        assert page.locator("input[name=csrfmiddlewaretoken]").first.input_value() != ""
    finally:
        ctx.close()
