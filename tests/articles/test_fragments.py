"""Shared fragments of the article page (articles/fragments.py): fast for signed-in readers,
fresh at once after a change, and never carrying anything of one reader to another."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from comments.models import Status
from comments.services import comment_edit_text, comment_set_status
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or factories.make_reader())
    return client


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_signed_in_reader_sees_a_comment_approved_after_the_page_was_cached(article):
    pending = factories.make_comment(article=article, status=Status.PENDING, text="رأي ينتظر")
    reader = signed_in()
    assert "رأي ينتظر" not in page(reader, article)  # the thread fragment is now stored

    comment_set_status(comment=pending, status=Status.APPROVED)

    html = page(reader, article)
    assert "رأي ينتظر" in html
    assert html.count('class="comment depth-') == 1


def test_rejected_and_edited_comments_change_the_cached_thread_at_once(article):
    shown = factories.make_comment(article=article, text="نص التعليق الأول")
    gone = factories.make_comment(article=article, text="تعليق سيرفضه المشرف")
    reader = signed_in()
    html = page(reader, article)
    assert "نص التعليق الأول" in html and "تعليق سيرفضه المشرف" in html

    comment_set_status(comment=gone, status=Status.REJECTED)
    comment_edit_text(comment=shown, text="نص بعد التصحيح", by=factories.make_moderator())

    html = page(reader, article)
    assert "تعليق سيرفضه المشرف" not in html
    assert "نص التعليق الأول" not in html
    assert "نص بعد التصحيح" in html


def test_article_edit_shows_at_once_to_a_signed_in_reader(article):
    reader = signed_in()
    assert "الشرع يزور حلب" in page(reader, article)

    article.title = "عنوان مصحح للخبر"
    article.body = "<p>فقرة مصححة بعد النشر.</p>"
    article.save()

    html = page(reader, article)
    assert "عنوان مصحح للخبر" in html
    assert "فقرة مصححة بعد النشر." in html
    assert "الشرع يزور حلب" not in html


def test_newly_published_article_appears_in_the_cached_sidebar(article, section, author):
    reader = signed_in()
    page(reader, article)

    factories.make_article(author=author, section=section, title="خبر عاجل جديد")

    html = page(reader, article)
    sidebar = html.split('id="latest-title"')[1]
    assert "خبر عاجل جديد" in sidebar


def test_own_pending_comment_and_prefilled_form_are_never_shared(article):
    alice = factories.make_reader(username="alice", display_name="أليس", email="alice@example.org")
    bob = factories.make_reader(username="bob", display_name="بشير", email="bob@example.org")
    alice_client, bob_client = signed_in(alice), signed_in(bob)
    page(bob_client, article)  # Bob fills the shared fragments first

    response = alice_client.post(
        reverse("comments:post", args=[article.pk]),
        {
            "text": "تعليق أليس الخاص",
            "name": "أليس",
            "email": "alice@example.org",
            "website": "",
            "parent": "",
            "homepage": "",
        },
    )
    assert response.status_code == 302

    alice_html = page(alice_client, article)
    assert "تعليق أليس الخاص" in alice_html
    assert "is-pending" in alice_html
    assert 'value="alice@example.org"' in alice_html

    bob_html = page(bob_client, article)
    assert "تعليق أليس الخاص" not in bob_html
    assert "alice@example.org" not in bob_html
    assert 'value="bob@example.org"' in bob_html
    assert "بشير" in bob_html and "أليس" not in bob_html

    anonymous_html = page(Client(), article)
    assert "تعليق أليس الخاص" not in anonymous_html
    assert "alice@example.org" not in anonymous_html and "bob@example.org" not in anonymous_html


def test_cached_thread_carries_each_readers_own_csrf_token(article):
    factories.make_comment(article=article, text="تعليق يمكن الإبلاغ عنه")
    first, second = (Client(enforce_csrf_checks=True) for _ in range(2))
    for client in (first, second):
        client.force_login(factories.make_reader())

    for client in (first, second):
        html = page(client, article)
        secret = client.cookies["csrftoken"].value
        tokens = TOKEN.findall(html)
        assert len(tokens) >= 3  # header sign-out, the report button, the comment form
        assert "__levant24_fragment_csrf__" not in html
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}

    comment = article.comments.get()
    html = page(second, article)
    token = TOKEN.findall(html.split(f'id="comment-{comment.pk}"')[1])[0]
    response = second.post(
        reverse("comments:report", args=[comment.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_signed_in_article_page_with_warm_fragments_runs_few_queries(
    article, django_assert_max_num_queries
):
    for _ in range(30):
        factories.make_comment(article=article)
    reader = signed_in()
    page(reader, article)  # fills the fragments
    # Session, user, article; the moderation rules and site settings come from the cache.
    with django_assert_max_num_queries(3):
        html = page(reader, article)
    assert html.count('class="comment depth-') == 30


def test_fragment_cache_can_be_turned_off(article, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    reader = signed_in()
    page(reader, article)
    factories.make_comment(article=article, text="تعليق بلا ذاكرة مؤقتة")
    assert "تعليق بلا ذاكرة مؤقتة" in page(reader, article)


def test_staff_preview_of_a_draft_never_fills_the_public_fragments(article, client):
    draft = factories.make_article(title="مسودة سرية للغاية", status="draft")
    client.force_login(factories.make_staff(role="editor"))
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 200

    html = page(signed_in(), article)
    assert "مسودة سرية للغاية" not in html


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_page_from_fragments_is_the_page_rendered_in_full(article, settings, who):
    """Same HTML with and without the fragment cache (CSRF tokens aside)."""
    for n in range(3):
        parent = factories.make_comment(article=article, text=f"تعليق <b>{n}</b> & رأي")
        factories.make_comment(article=article, parent=parent)
    client = Client()
    if who == "reader":
        client.force_login(
            factories.make_reader(display_name='قارئ "محب" <للأخبار>', email="o'hara@example.org")
        )
    settings.PAGE_CACHE_ENABLED = False  # the anonymous page is rendered every time here
    settings.FRAGMENT_CACHE_ENABLED = False
    full = page(client, article)
    settings.FRAGMENT_CACHE_ENABLED = True
    first = page(client, article)  # fills the fragments
    assert _without_tokens(first) == _without_tokens(full)
    from_fragments = page(client, article)
    assert 'class="comment-list"' in from_fragments
    if who == "reader":
        assert 'value="o&#x27;hara@example.org"' in from_fragments
        assert 'value="قارئ &quot;محب&quot; &lt;للأخبار&gt;"' in from_fragments
    else:
        assert "__levant24_reader" not in from_fragments
    assert _without_tokens(from_fragments) == _without_tokens(full)


def test_staff_get_every_part_of_the_page_afresh(client, article):
    client.force_login(factories.make_author())
    page(client, article)
    # A write that bypasses the signals (a bulk update) shows at once for staff.
    type(article).objects.filter(pk=article.pk).update(body="<p>تصحيح عاجل من المحرر</p>")
    assert "تصحيح عاجل من المحرر" in page(client, article)


def test_shared_header_keeps_each_readers_own_account_links(article, section, author, settings):
    settings.PAGE_CACHE_ENABLED = False  # anonymous pages rendered each time as well
    other = factories.make_article(author=author, section=section, title="خبر آخر")
    alice = factories.make_reader(display_name="أليس")
    bob = factories.make_reader(display_name="بشير")
    alice_html, bob_html = page(signed_in(alice), article), page(signed_in(bob), article)
    assert 'class="user-name"' in alice_html and "أليس" in alice_html and "بشير" not in alice_html
    assert "بشير" in bob_html and "أليس" not in bob_html

    for shown in (article, other):
        html = page(Client(), shown)
        assert 'class="user-name"' not in html
        # The sign-in link brings the reader back to the page they were on.
        assert f'class="sign-in" href="/accounts/login/?next=/article/{shown.pk}/' in html


# --- The whole page shared by signed-in readers --------------------------------------------


def test_second_reader_gets_the_shared_page_with_their_own_name_form_and_tokens(
    article, django_assert_max_num_queries
):
    factories.make_comment(article=article, text="تعليق في الصفحة المشتركة")
    first = factories.make_reader(display_name="أليس", email="alice@example.org")
    second = factories.make_reader(
        display_name="بشير", email="bob@example.org", email_confirmed=False
    )
    page(signed_in(first), article)  # stores the page the signed-in readers share

    client = Client(enforce_csrf_checks=True)
    client.force_login(second)
    client.get(reverse("accounts:csrf"))  # the reader already has a CSRF cookie
    secret = client.cookies["csrftoken"].value
    with django_assert_max_num_queries(2):  # the session and the user, nothing else
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    # Only the reader's own parts are rendered; the rest is the stored page.
    assert {t.name for t in response.templates} <= {
        "includes/user_area.html",
        "comments/comment_form.html",
    }

    assert "أليس" not in html and "alice@example.org" not in html
    assert '<a class="user-name"' in html and "بشير" in html
    assert 'value="bob@example.org"' in html
    assert 'class="confirm-reminder"' in html  # Bob has not confirmed his address yet
    assert "تعليق في الصفحة المشتركة" in html
    assert "<!--levant24:reader" not in html and "__levant24_" not in html
    tokens = TOKEN.findall(html)
    assert len(tokens) >= 3  # sign-out, the report button, the comment form
    assert {_unmask_cipher_token(token) for token in tokens} == {
        _unmask_cipher_token(secret) if len(secret) == 64 else secret
    }
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_reader_with_a_message_gets_it_and_the_next_reader_does_not(article):
    comment = factories.make_comment(article=article, text="تعليق مسيء")
    reporter, other = signed_in(), signed_in()
    page(other, article)  # the shared page is stored

    response = reporter.post(reverse("comments:report", args=[comment.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="messages"' in html

    assert 'class="messages"' not in page(other, article)
    assert 'class="messages"' not in page(reporter, article)  # shown once, then gone


def test_reply_target_is_rendered_for_the_reader_who_asked(article):
    parent = factories.make_comment(article=article, name="سلمى", text="تعليق يستحق الرد")
    reader = signed_in()
    page(reader, article)
    response = reader.get(article.get_absolute_url(), {"replyto": parent.pk})
    html = response.content.decode()
    assert f'<input type="hidden" name="parent" value="{parent.pk}"' in html
    assert "<bdi data-reply-to-name>سلمى</bdi>" in html
    assert f'name="parent" value="{parent.pk}"' not in page(reader, article)


def test_shared_page_of_an_article_closed_to_comments_has_no_form(article):
    article.comments_open = False
    article.save()
    reader = signed_in()
    for _ in range(2):
        html = page(reader, article)
        assert 'id="comment-form"' not in html
        assert "<!--levant24:reader" not in html


def test_listing_count_is_shared_and_fresh_after_publishing(section, author):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(13):
        factories.make_article(section=section, author=author, title=f"خبر رقم {n}")
    reader = signed_in()
    url = section.get_absolute_url()
    assert "الصفحة 1 من 2" in reader.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = reader.get(url, {"page": 2}).content.decode()
    assert "الصفحة 2 من 2" in html
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]

    for n in range(12):
        factories.make_article(section=section, author=author, title=f"خبر جديد {n}")
    assert "الصفحة 1 من 3" in reader.get(url).content.decode()


@pytest.mark.parametrize("where", ["home", "section", "section page 2"])
def test_home_and_listings_are_shared_by_signed_in_readers_with_their_own_header(
    where, section, author, settings
):
    for n in range(14):
        factories.make_article(section=section, author=author, title=f"خبر القسم {n}")
    url, params = {
        "home": (reverse("articles:home"), {}),
        "section": (section.get_absolute_url(), {}),
        "section page 2": (section.get_absolute_url(), {"page": 2}),
    }[where]
    alice = factories.make_reader(display_name="أليس")
    bob = factories.make_reader(display_name="بشير")
    settings.FRAGMENT_CACHE_ENABLED = False
    full = signed_in(bob).get(url, params).content.decode()  # rendered for Bob alone
    settings.FRAGMENT_CACHE_ENABLED = True
    assert "أليس" in signed_in(alice).get(url, params).content.decode()  # stores the page

    response = signed_in(bob).get(url, params)
    html = response.content.decode()
    assert {t.name for t in response.templates} <= {"includes/user_area.html"}
    assert "بشير" in html and "أليس" not in html
    assert "<!--levant24:reader" not in html and "__levant24_" not in html
    assert _without_tokens(html) == _without_tokens(full)


def test_shared_listing_is_fresh_after_publishing_and_keeps_messages_for_their_reader(
    section, author
):
    factories.make_article(section=section, author=author, title="خبر أول في القسم")
    reader = signed_in()
    assert "خبر أول في القسم" in page_at(reader, section.get_absolute_url())

    factories.make_article(section=section, author=author, title="خبر نُشر للتو")
    assert "خبر نُشر للتو" in page_at(reader, section.get_absolute_url())

    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, "رسالة لهذا القارئ وحده")
    carrier = HttpResponse()
    storage.update(carrier)
    reader.cookies["messages"] = carrier.cookies["messages"].value
    html = page_at(reader, section.get_absolute_url())
    assert "رسالة لهذا القارئ وحده" in html
    assert "رسالة لهذا القارئ وحده" not in page_at(signed_in(), section.get_absolute_url())


def page_at(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
