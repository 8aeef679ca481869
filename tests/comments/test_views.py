import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationSettings, Status
from tests import factories

pytestmark = pytest.mark.django_db

NOTICE = "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def valid_data(**overrides):
    data = {
        "text": "تعليق مفيد على الخبر",
        "name": "هالة",
        "email": "hala@example.org",
        "website": "",
        "parent": "",
        "homepage": "",
    }
    data.update(overrides)
    return data


def page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


# --- the form ------------------------------------------------------------------------------


def test_article_page_shows_the_comment_form_with_notice(client, article):
    html = page(client, article)
    assert 'id="comment-form"' in html
    # The page that comes back with errors opens at the form, even without JavaScript.
    assert f'action="{post_url(article)}#respond"' in html
    assert NOTICE in html
    assert "اترك تعليقاً" in html
    for name in ("text", "name", "email", "website", "parent", "homepage"):
        assert f'name="{name}"' in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "يرجى كتابة تعليقك."),
        ({"text": "م"}, "text", "يجب ألا يقل التعليق عن حرفين."),
        ({"text": "ب" * 5001}, "text", "يجب ألا يزيد التعليق على 5,000 حرف."),
        ({"name": ""}, "name", "يرجى كتابة اسمك."),
        ({"name": "س" * 101}, "name", "يجب ألا يزيد الاسم على 100 حرف."),
        ({"email": ""}, "email", "يرجى كتابة بريدك الإلكتروني."),
        (
            {"email": "ليس-بريداً"},
            "email",
            "يرجى كتابة عنوان بريد إلكتروني صحيح، مثل name@example.com.",
        ),
        (
            {"website": "javascript:alert(1)"},
            "website",
            "يرجى كتابة عنوان موقع يبدأ بـ http:// أو https://.",
        ),
        (
            {"website": "ftp://files.example.org"},
            "website",
            "يرجى كتابة عنوان موقع يبدأ بـ http:// أو https://.",
        ),
        ({"text": "نص\x00خبيث"}, "text", "يحتوي النص على محرف ممنوع (NUL)."),
        ({"name": "اسم\x00"}, "name", "يحتوي النص على محرف ممنوع (NUL)."),
    ],
)
def test_invalid_submission_shows_arabic_message_next_to_field_and_keeps_input(
    client, article, overrides, field, message
):
    data = valid_data(**{"website": "https://hala.example.org", **overrides})
    response = client.post(post_url(article), data)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'<span class="field-error" id="id_{field}_error">(.*?)</span>', html)
    assert error is not None, f"no error shown next to {field}"
    assert message in error.group(1)
    # Everything the reader typed is still there (except the refused NUL value itself).
    for key in ("text", "name", "email", "website"):
        value = data[key]
        if key == field or "\x00" in value:
            continue
        assert value in html, f"{key} lost"
    assert Comment.objects.count() == 0


def test_refused_submission_has_an_error_summary_linking_to_each_field(client, article):
    response = client.post(post_url(article), valid_data(text="", email=""))
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(
        r'<div id="comment-errors" class="error-summary" role="alert"(.*?)</div>', html, re.S
    )
    assert summary is not None
    assert "لم يُرسل تعليقك بعد:" in summary.group(1)
    links = re.findall(r'<a href="#(id_\w+)">', summary.group(1))
    assert links == ["id_text", "id_email"]


def test_public_page_has_no_error_summary(client, article):
    assert "error-summary" not in page(client, article)


def test_refused_submission_keeps_the_long_text_in_the_textarea(client, article):
    response = client.post(post_url(article), valid_data(name="", text="سطر أول\nسطر ثانٍ"))
    assert response.status_code == 400
    assert "سطر أول\nسطر ثانٍ</textarea>" in response.content.decode()


def test_website_without_scheme_is_accepted_as_https(client, article):
    response = client.post(post_url(article), valid_data(website="hala.example.org"))
    assert response.status_code == 302
    assert Comment.objects.get().website == "https://hala.example.org"


THANK_YOU = "شكراً لك. وصلنا تعليقك، ويظهر هنا بعد الموافقة عليه."


def test_good_submission_redirects_with_thank_you_and_shows_own_pending(client, article):
    response = client.post(post_url(article), valid_data())
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert response.status_code == 302
    assert (
        response["Location"] == f"{article.get_absolute_url()}?c={comment.pk}#comment-{comment.pk}"
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [THANK_YOU]

    # The page the reader lands on is their own: never shared.
    landing = client.get(response["Location"])
    assert landing["Cache-Control"] == "private, no-store"
    html = landing.content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "تعليقك بانتظار المراجعة. لا يراه أحد غيرك." in html
    # Later, on the shared page, it comes from the reader's own endpoint.
    assert f'id="comment-{comment.pk}"' not in page(client, article)
    state = client.get(reverse("comments:reader"), {"article": article.pk}).json()
    assert [item["id"] for item in state["pending"]] == [comment.pk]
    # Other readers do not see it.
    other = page(client.__class__(), article)
    assert f'id="comment-{comment.pk}"' not in other
    assert comment.text not in other


def test_message_after_redirect_is_shown_on_the_article_page(client, article):
    response = client.post(post_url(article), valid_data(), follow=True)
    assert response.status_code == 200
    assert "تعليقك بانتظار المراجعة" in response.content.decode()


def test_comment_stores_ip_user_agent_and_no_user_when_anonymous(client, article):
    client.post(post_url(article), valid_data(), HTTP_USER_AGENT="TestBrowser/1.0")
    comment = Comment.objects.get()
    assert comment.ip_address == "127.0.0.1"
    assert comment.user_agent == "TestBrowser/1.0"
    assert comment.user is None


def test_signed_in_reader_gets_name_and_email_prefilled_and_user_recorded(client, article):
    reader = factories.make_user(display_name="ريم القارئة", email="reem@example.org")
    client.force_login(reader)
    html = page(client, article)
    assert "ريم القارئة" not in html and "reem@example.org" not in html  # a shared page
    state = client.get(reverse("comments:reader")).json()
    assert state["comment_form"] == {"name": "ريم القارئة", "email": "reem@example.org"}
    client.post(post_url(article), valid_data(name="ريم القارئة", email="reem@example.org"))
    assert Comment.objects.get().user == reader


def test_unpublished_article_refuses_comments(client, author, section):
    draft = factories.make_article(author=author, section=section, status="draft")
    response = client.post(post_url(draft), valid_data())
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_post_url_refuses_get(client, article):
    assert client.get(post_url(article)).status_code == 405


# --- what is shown -------------------------------------------------------------------------


def test_only_approved_comments_are_shown_with_count(client, article):
    shown = factories.make_comment(article=article, text="تعليق منشور")
    hidden = [
        factories.make_comment(article=article, status=status, text=f"نص مخفي {status}")
        for status in (Status.PENDING, Status.REJECTED, Status.SPAM)
    ]
    html = page(client, article)
    assert "تعليق منشور" in html
    assert f'id="comment-{shown.pk}"' in html
    for comment in hidden:
        assert comment.text not in html
        assert f'id="comment-{comment.pk}"' not in html
    assert "تعليق واحد" in html


def test_comment_count_uses_arabic_plurals(client, article):
    assert "لا توجد تعليقات" in page(client, article)
    for _ in range(3):
        factories.make_comment(article=article)
    assert "3 تعليقات" in page(client, article)


def test_replies_are_threaded_three_levels_deep_oldest_first(client, article):
    now = timezone.now()
    first = factories.make_comment(
        article=article, text="الأول", created_at=now - timedelta(hours=5)
    )
    second = factories.make_comment(
        article=article, text="الثاني", created_at=now - timedelta(hours=4)
    )
    reply = factories.make_comment(
        article=article, parent=first, text="رد على الأول", created_at=now - timedelta(hours=3)
    )
    deeper = factories.make_comment(
        article=article, parent=reply, text="رد على الرد", created_at=now - timedelta(hours=2)
    )
    html = page(client, article)
    assert (
        html.index("الأول")
        < html.index("رد على الأول")
        < html.index("رد على الرد")
        < html.index("الثاني")
    )
    # Nesting: each reply sits in a list inside its parent's item.
    assert re.search(
        rf'id="comment-{first.pk}".*?<ol class="children">.*?id="comment-{reply.pk}".*?'
        rf'<ol class="children">.*?id="comment-{deeper.pk}"',
        html,
        re.S,
    )
    assert 'class="comment depth-3' in html
    assert f'id="comment-{second.pk}"' in html


def test_featured_comment_is_shown_first(client, article):
    now = timezone.now()
    factories.make_comment(article=article, text="قديم", created_at=now - timedelta(hours=2))
    factories.make_comment(article=article, text="مختار", is_featured=True, created_at=now)
    html = page(client, article)
    assert html.index("مختار") < html.index("قديم")
    assert "اختيار المحرر" in html


def test_reply_link_without_js_reloads_page_with_form_set_to_reply(client, article):
    comment = factories.make_comment(article=article, name="باسل")
    html = page(client, article)
    assert f'href="?replyto={comment.pk}#comment-form"' in html
    html = page(client, article, replyto=comment.pk)
    assert f'<input type="hidden" name="parent" value="{comment.pk}"' in html
    assert "الرد على" in html
    cancel = re.search(r'<a id="cancel-reply"[^>]*>', html).group(0)
    assert "hidden" not in cancel
    assert f'href="{article.get_absolute_url()}#comment-form"' in cancel
    assert "إلغاء الرد" in html


def test_cancel_reply_link_hidden_and_parent_empty_without_replyto(client, article):
    factories.make_comment(article=article)
    html = page(client, article)
    cancel = re.search(r'<a id="cancel-reply"[^>]*>', html).group(0)
    assert " hidden" in cancel
    assert re.search(r'<input type="hidden" name="parent" id="id_parent">', html)


def test_replyto_of_a_pending_comment_is_ignored(client, article):
    pending = factories.make_comment(article=article, status=Status.PENDING)
    html = page(client, article, replyto=pending.pk)
    assert f'value="{pending.pk}"' not in html
    html = page(client, article, replyto="x")
    assert 'name="parent" id="id_parent">' in html


def test_reply_is_stored_under_its_parent(client, article):
    parent = factories.make_comment(article=article)
    response = client.post(post_url(article), valid_data(parent=str(parent.pk)))
    assert response.status_code == 302
    assert Comment.objects.get(name="هالة").parent == parent


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.REJECTED])
def test_reply_to_a_hidden_comment_is_refused_with_message(client, article, status):
    parent = factories.make_comment(article=article, status=status)
    response = client.post(post_url(article), valid_data(parent=str(parent.pk)))
    assert response.status_code == 400
    assert "التعليق الذي تردّ عليه غير متاح." in response.content.decode()


def test_reply_to_a_comment_of_another_article_is_refused(client, article):
    other = factories.make_comment(article=factories.make_article())
    response = client.post(post_url(article), valid_data(parent=str(other.pk)))
    assert response.status_code == 400
    assert Comment.objects.filter(name="هالة").count() == 0


def test_comment_text_is_escaped_keeps_line_breaks_and_is_dir_auto(client, article):
    factories.make_comment(
        article=article, text='<script>alert("x")</script>\nسطر ثانٍ', name="<b>اسم</b>"
    )
    html = page(client, article)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>سطر ثانٍ" in html
    assert "&lt;b&gt;اسم&lt;/b&gt;" in html
    assert '<div class="comment-text" dir="auto">' in html


def test_website_link_is_nofollow_ugc_and_avatar_is_initials(client, article):
    factories.make_comment(article=article, name="منى سليمان", website="https://mona.example.org")
    html = page(client, article)
    assert '<a href="https://mona.example.org" rel="nofollow ugc">منى سليمان</a>' in html
    assert ">مس</span>" in html
    assert "gravatar" not in html


def test_reader_email_is_never_in_a_public_response(client, article):
    email = "secret.reader@example.org"
    approved = factories.make_comment(article=article, email=email, website="https://x.example")
    factories.make_comment(article=article, parent=approved, email=email)
    responses = [
        client.get(article.get_absolute_url()),
        client.get(article.get_absolute_url(), {"replyto": approved.pk}),
        client.get(reverse("articles:home")),
        client.get(reverse("articles:latest_json")),
        client.post(post_url(article), valid_data(text="")),
    ]
    client.post(post_url(article), valid_data(email="another.secret@example.org"))
    responses.append(client.get(article.get_absolute_url()))  # with own pending comment
    for response in responses:
        body = response.content.decode()
        assert email not in body
        assert "another.secret@example.org" not in body
        assert "secret.reader" not in body


def test_reader_email_is_in_no_feed_sitemap_search_or_author_page(client, article):
    email = "hidden.reader@example.org"
    factories.make_comment(article=article, email=email, name="قارئة", text="تعليق الخبر")
    signed_in = factories.make_user(username="qaria", email=email, display_name="قارئة مسجلة")
    factories.make_comment(article=article, email=email, user=signed_in)
    urls = [
        reverse("articles:feed"),
        reverse("articles:feed_section", kwargs={"slug": article.section.slug}),
        reverse("articles:feed_kind", kwargs={"kind_slug": "أخبار"}),
        reverse("sitemap"),
        reverse("news_sitemap"),
        reverse("articles:search") + "?q=" + "الشرع",
        article.author.get_absolute_url(),
        article.section.get_absolute_url(),
    ]
    urls += re.findall(
        r"<loc>https?://[^/]+(/sitemap-[^<]+)</loc>", client.get(urls[3]).content.decode()
    )
    assert len(urls) > 10  # the sitemap index names its parts
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "hidden.reader" not in body, url
        assert "example.org" not in body, url


def test_bidi_controls_are_stripped_and_joiners_kept(client, article):
    data = valid_data(
        name="ناد\u202eر", text="نص\u2066 مع\u2069 عزل\u200c و\u200dوصل \u202aهنا\u202c"
    )
    assert client.post(post_url(article), data).status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "نادر"
    assert comment.text == "نص مع عزل\u200c و\u200dوصل هنا"


def test_text_of_only_bidi_controls_counts_as_empty(client, article):
    response = client.post(post_url(article), valid_data(text="\u202e\u202e\u202e"))
    assert response.status_code == 400
    assert "يرجى كتابة تعليقك." in response.content.decode()


# --- closing --------------------------------------------------------------------------------


def test_closed_article_says_so_instead_of_the_form_and_refuses_posts(client, author, section):
    article = factories.make_article(author=author, section=section, comments_open=False)
    comment = factories.make_comment(article=article)
    html = page(client, article)
    assert "التعليقات مغلقة على هذا المقال." in html
    assert 'id="comment-form"' not in html
    assert f'id="comment-{comment.pk}"' in html
    assert 'class="comments is-closed"' in html  # the stored reply links are hidden
    response = client.post(post_url(article), valid_data())
    assert response.status_code == 400
    assert "التعليقات مغلقة على هذا المقال." in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_close_automatically_after_configured_days(client, author, section):
    rules = ModerationSettings.load()
    rules.close_after_days = 7
    rules.save()
    old = factories.make_article(
        author=author, section=section, published_at=timezone.now() - timedelta(days=8)
    )
    recent = factories.make_article(
        author=author, section=section, published_at=timezone.now() - timedelta(days=6)
    )
    assert "التعليقات مغلقة على هذا المقال." in page(client, old)
    assert 'id="comment-form"' in page(client, recent)
    assert client.post(post_url(old), valid_data()).status_code == 400
    assert client.post(post_url(recent), valid_data()).status_code == 302


# --- reporting ------------------------------------------------------------------------------


def seasoned_reader():
    reader = factories.make_reader(email_confirmed=True)
    reader.date_joined = timezone.now() - timedelta(days=3)
    reader.save(update_fields=["date_joined"])
    return reader


def test_reader_reports_a_comment_once(client, article):
    comment = factories.make_comment(article=article)
    client.force_login(seasoned_reader())
    url = reverse("comments:report", args=[comment.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "شكراً لك. سيراجع المشرفون هذا التعليق."
    ]
    response = client.post(url)
    assert [str(m) for m in get_messages(response.wsgi_request)][
        -1
    ] == "لقد أبلغت عن هذا التعليق من قبل."
    comment.refresh_from_db()
    assert comment.flag_count == 1


def test_report_buttons_post_one_shared_form_with_a_single_token(client, article):
    comments = [factories.make_comment(article=article) for _ in range(3)]
    html = page(client, article)
    assert html.count('<form id="comment-report-form" method="post">') == 1
    for comment in comments:
        url = reverse("comments:report", args=[comment.pk])
        assert (
            f'<button type="submit" class="comment-report" form="comment-report-form" '
            f'formaction="{url}">' in html
        )
    report_form = html.split('<form id="comment-report-form"')[1].split("</form>")[0]
    # The shared page carries no token at all; the script fills this field.
    assert 'name="csrfmiddlewaretoken" value="" data-csrf-field' in report_form
    assert not re.findall(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)
    # A reader's own page (a reply chosen without JavaScript) has two, whatever the number
    # of comments: the reports and the form.
    own = page(client, article, replyto=comments[0].pk)
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', own)) == 2


def test_reports_past_threshold_send_comment_back_to_pending(article):
    from django.test import Client

    comment = factories.make_comment(article=article)
    url = reverse("comments:report", args=[comment.pk])
    for n in range(3):
        reader_client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        reader_client.force_login(seasoned_reader())
        reader_client.post(url)
    comment.refresh_from_db()
    assert comment.flag_count == 3
    assert comment.status == Status.PENDING
    assert comment.text not in Client().get(article.get_absolute_url()).content.decode()


def test_only_approved_comments_can_be_reported(client, article):
    comment = factories.make_comment(article=article, status=Status.PENDING)
    assert client.post(reverse("comments:report", args=[comment.pk])).status_code == 404
    assert client.get(reverse("comments:report", args=[comment.pk])).status_code == 405


# --- queries --------------------------------------------------------------------------------


def _thread(article, count):
    created = []
    for i in range(count):
        parent = created[i // 2] if created and i % 3 else None
        created.append(
            factories.make_comment(
                article=article, parent=parent, website="https://r.example" if i % 2 else ""
            )
        )


@pytest.mark.parametrize("count", [0, 100])
def test_article_page_query_count_is_constant(
    client, article, django_assert_max_num_queries, count
):
    from django.core.cache import cache

    from articles.models import SiteSettings

    _thread(article, count)
    factories.make_comment(article=article, status=Status.PENDING)
    SiteSettings.load()
    ModerationSettings.load()
    cache.clear()  # every setting is read from the database too
    # The article with its section and author; one statement for its neighbours, related
    # and latest articles and the next scheduled time; its tags; the site and moderation
    # settings; the thread (shape and stored HTML together).
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment-body"') == count


def test_comment_thread_takes_one_query_whatever_the_number_of_comments(
    article, django_assert_max_num_queries
):
    from comments.selectors import thread

    for count in (0, 100):
        _thread(article, count)
        with django_assert_max_num_queries(1):  # the thread's shape and its stored HTML
            built = thread(article=article)
        assert built.count == Comment.objects.approved().count()


def test_anonymous_readers_pending_comment_is_remembered_without_a_session(client, article):
    from django.contrib.sessions.models import Session
    from django.core import signing
    from django.test import Client

    from comments.selectors import OWN_COOKIE, OWN_COOKIE_SALT

    response = client.post(post_url(article), valid_data())
    comment = Comment.objects.get()
    assert Session.objects.count() == 0  # no session row for an anonymous commenter
    cookie = response.cookies[OWN_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert signing.loads(cookie.value, salt=OWN_COOKIE_SALT) == [comment.pk]

    def own(reader):
        state = reader.get(reverse("comments:reader"), {"article": article.pk}).json()
        return [item["id"] for item in state["pending"]]

    for _ in range(2):  # every later visit, until a moderator decides
        assert own(client) == [comment.pk]
    assert f'id="comment-{comment.pk}"' in page(client, article, c=comment.pk)

    # A forged or foreign list of ids shows nothing.
    forger = Client()
    forger.cookies[OWN_COOKIE] = signing.dumps([comment.pk], salt="another-salt")
    assert own(forger) == []
    assert f'id="comment-{comment.pk}"' not in page(forger, article, c=comment.pk)
    forger.cookies[OWN_COOKIE] = f"[{comment.pk}]"
    assert own(forger) == []


def test_reports_from_fresh_accounts_on_one_address_leave_the_comment_public(article):
    """Three reader accounts created seconds ago, from one address, report a comment: it
    stays public, and the moderators see who reported it."""
    from django.test import Client

    comment = factories.make_comment(article=article)
    url = reverse("comments:report", args=[comment.pk])
    for n in range(3):
        reader_client = Client(REMOTE_ADDR="203.0.113.50")
        reader_client.force_login(
            factories.make_reader(email_confirmed=True, display_name=f"حساب جديد {n}")
        )
        assert reader_client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.text in Client().get(article.get_absolute_url()).content.decode()
    moderator = Client()
    moderator.force_login(factories.make_moderator())
    html = moderator.get(reverse("admin:comments_comment_change", args=[comment.pk])).content
    html = html.decode()
    for n in range(3):
        assert f"حساب جديد {n}" in html
    assert html.count("203.0.113.50") >= 3
    # The comment waits in the "reported" tab, uncounted reports included.
    queue = moderator.get(reverse("admin:comments_comment_changelist"), {"status": "reported"})
    assert [row.pk for row in queue.context["cl"].result_list] == [comment.pk]
    queue_html = queue.content.decode()
    assert "يُحتسب 0 من 3" in queue_html
    for n in range(3):
        assert f"حساب جديد {n}" in queue_html


def test_typed_known_email_gets_the_same_answer_and_waits(client, article):
    """A guest typing a regular commenter's email is held, and told exactly what anyone is."""
    factories.make_comment(article=article, email="regular@example.org", status=Status.APPROVED)
    response = client.post(post_url(article), valid_data(email="REGULAR@example.org", name="منتحل"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [THANK_YOU]
    assert Comment.objects.get(name="منتحل").status == Status.PENDING


def test_browser_that_wrote_an_approved_comment_is_trusted_next_time(client, article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    response = client.post(post_url(article), valid_data(text="أول تعليق لي"))
    cookie = response.cookies["comments_trust"]
    assert cookie["path"] == "/comments/"
    assert cookie["httponly"]
    first = Comment.objects.get()
    first.status = Status.APPROVED
    first.save()
    response = client.post(post_url(article), valid_data(text="تعليقي الثاني"))
    assert Comment.objects.get(text="تعليقي الثاني").status == Status.APPROVED
    # Same words for the reader either way.
    assert {str(m) for m in get_messages(response.wsgi_request)} == {THANK_YOU}
    # Another browser typing the same email waits.
    from django.test import Client

    Client().post(post_url(article), valid_data(text="تعليق من متصفح آخر"))
    assert Comment.objects.get(text="تعليق من متصفح آخر").status == Status.PENDING
