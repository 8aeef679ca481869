import re

import pytest
from django.contrib import admin
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, SiteSettings
from comments.models import BannedWord, Comment, CommentEdit, ModerationSettings, Status
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def moderator(db):
    return factories.make_moderator(username="mod", email="mod@levant24.example")


@pytest.fixture
def mod_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def queue(article):
    return {
        status: factories.make_comment(article=article, status=status, text=f"نص {status}")
        for status in Status.values
    }


def rows(response):
    return [
        int(pk)
        for pk in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())
    ]


def test_moderator_opens_admin_and_sees_only_comments_app(mod_client):
    response = mod_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/admin/comments/comment/" in html
    assert "/admin/comments/bannedword/" in html
    assert "/admin/comments/moderationsettings/" in html
    assert "/admin/articles/" not in html
    assert "/admin/accounts/" not in html
    assert "/admin/auth/" not in html


def test_queue_opens_on_pending_with_tabs_and_counts(mod_client, queue):
    response = mod_client.get(CHANGELIST)
    assert response.status_code == 200
    assert rows(response) == [queue[Status.PENDING].pk]
    html = response.content.decode()
    assert "التعليقات: 1 بانتظار المراجعة" in html
    for label in (
        "بانتظار المراجعة (1)",
        "موافَق عليه (1)",
        "مرفوض (1)",
        "مزعج (1)",
        "مُبلَّغ عنه (0)",
        "الكل",
    ):
        assert label in html


@pytest.mark.parametrize("status", Status.values)
def test_queue_tabs_filter_by_status(mod_client, queue, status):
    response = mod_client.get(CHANGELIST, {"status": status})
    assert rows(response) == [queue[status].pk]


def test_reported_tab_and_all_tab(mod_client, queue, article):
    reported = factories.make_comment(article=article, flag_count=2)
    assert rows(mod_client.get(CHANGELIST, {"status": "reported"})) == [reported.pk]
    assert len(rows(mod_client.get(CHANGELIST, {"status": "all"}))) == 5


def test_row_shows_comment_in_context_with_one_click_buttons(mod_client, article):
    parent = factories.make_comment(
        article=article, name="والد", text="التعليق الأصلي الذي يُرد عليه"
    )
    reply = factories.make_comment(
        article=article, parent=parent, status=Status.PENDING, text="رد ينتظر"
    )
    html = mod_client.get(CHANGELIST).content.decode()
    assert article.title in html
    assert "ردًّا على والد:" in html
    assert "التعليق الأصلي الذي يُرد عليه" in html
    moderate = reverse("admin:comments_comment_moderate", args=[reply.pk])
    for value in ("approved", "rejected", "spam"):
        assert f'formaction="{moderate}" name="status" value="{value}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.SPAM])
def test_one_click_moderation_changes_status_through_post(mod_client, moderator, article, status):
    comment = factories.make_comment(article=article, status=Status.PENDING)
    url = reverse("admin:comments_comment_moderate", args=[comment.pk])
    assert mod_client.get(url).status_code == 405
    response = mod_client.post(
        url, {"status": status}, HTTP_REFERER=f"http://testserver{CHANGELIST}?status=pending"
    )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{CHANGELIST}?status=pending"
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == moderator


def test_one_click_moderation_requires_csrf_token(moderator, article):
    comment = factories.make_comment(article=article, status=Status.PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    url = reverse("admin:comments_comment_moderate", args=[comment.pk])
    assert client.post(url, {"status": "approved"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_approved_comment_appears_on_the_article_page(mod_client, article):
    comment = factories.make_comment(article=article, status=Status.PENDING, text="صار منشوراً")
    assert "صار منشوراً" not in Client().get(article.get_absolute_url()).content.decode()
    mod_client.post(
        reverse("admin:comments_comment_moderate", args=[comment.pk]), {"status": "approved"}
    )
    assert "صار منشوراً" in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve_selected", Status.APPROVED),
        ("reject_selected", Status.REJECTED),
        ("spam_selected", Status.SPAM),
    ],
)
def test_bulk_actions_change_status(mod_client, moderator, article, action, status):
    comments = [factories.make_comment(article=article, status=Status.PENDING) for _ in range(3)]
    response = mod_client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments[:2]]}
    )
    assert response.status_code == 302
    assert (
        list(Comment.objects.filter(status=status, moderated_by=moderator).order_by("pk"))
        == comments[:2]
    )
    assert Comment.objects.get(pk=comments[2].pk).status == Status.PENDING


def test_feature_one_click_and_bulk(mod_client, article):
    one, two = factories.make_comment(article=article), factories.make_comment(article=article)
    mod_client.post(reverse("admin:comments_comment_moderate", args=[one.pk]), {"featured": "1"})
    mod_client.post(
        CHANGELIST + "?status=approved",
        {"action": "feature_selected", "_selected_action": [two.pk]},
    )
    assert Comment.objects.filter(is_featured=True).count() == 2
    mod_client.post(reverse("admin:comments_comment_moderate", args=[one.pk]), {"featured": "0"})
    assert not Comment.objects.get(pk=one.pk).is_featured


def test_moderator_edits_text_and_the_edit_is_recorded(mod_client, moderator, article):
    comment = factories.make_comment(article=article, text="نص فيه خطأ")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    page = mod_client.get(url)
    assert page.status_code == 200
    data = {
        "text": "نص مصحَّح",
        "is_featured": "on",
        "edits-TOTAL_FORMS": "0",
        "edits-INITIAL_FORMS": "0",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }
    response = mod_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    comment.refresh_from_db()
    assert comment.text == "نص مصحَّح"
    assert comment.is_featured
    edit = CommentEdit.objects.get(comment=comment)
    assert (edit.old_text, edit.new_text, edit.edited_by) == ("نص فيه خطأ", "نص مصحَّح", moderator)
    assert "نص فيه خطأ" in mod_client.get(url).content.decode()


def test_moderator_cannot_add_comments_but_can_delete(mod_client, article):
    comment = factories.make_comment(article=article)
    assert mod_client.get("/admin/comments/comment/add/").status_code == 403
    response = mod_client.post(f"/admin/comments/comment/{comment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_moderator_edits_moderation_settings_in_arabic(mod_client):
    response = mod_client.get("/admin/comments/moderationsettings/")
    assert response.status_code == 302
    url = response["Location"]
    html = mod_client.get(url).content.decode()
    for label in (
        "إحالة كل تعليق إلى المراجعة",
        "الموافقة على تعليقات المعلّقين الموثَّقين",
        "إحالة التعليقات التي فيها هذا العدد من الروابط أو أكثر",
        "عناوين البريد المحظورة",
        "عناوين IP المحظورة",
        "إغلاق التعليقات بعد (أيام)",
        "عدد التعليقات المسموح بها في الساعة من عنوان IP واحد",
        "عدد البلاغات التي تعيد التعليق إلى قائمة المراجعة",
        "إعلام المشرفين بالبريد بالتعليقات الجديدة التي تنتظر المراجعة",
        "الدقائق بين رسالتين إلى المشرف",
    ):
        assert label in html
    response = mod_client.post(
        url,
        {
            "auto_approve_known_email": "on",
            "link_threshold": "3",
            "blocked_emails": "bad@example.org",
            "blocked_ips": "",
            "close_after_days": "14",
            "hourly_limit": "5",
            "reports_threshold": "2",
            "digest_minutes": "15",
        },
    )
    assert response.status_code == 302
    rules = ModerationSettings.load()
    assert (
        rules.hold_all,
        rules.link_threshold,
        rules.close_after_days,
        rules.notify_moderators,
        rules.digest_minutes,
    ) == (
        False,
        3,
        14,
        False,
        15,
    )
    assert ModerationSettings.objects.count() == 1
    assert mod_client.get("/admin/comments/moderationsettings/add/").status_code == 403


def test_moderator_manages_banned_words(mod_client):
    response = mod_client.post(
        "/admin/comments/bannedword/add/", {"word": "كلمة", "action": "reject"}
    )
    assert response.status_code == 302
    assert BannedWord.objects.get().action == "reject"


def test_moderator_cannot_open_articles_users_groups_or_site_settings(
    mod_client, moderator, article
):
    assert mod_client.get("/admin/auth/group/").status_code == 403
    for model, url in (
        (Article, "/admin/articles/article/"),
        (SiteSettings, "/admin/articles/sitesettings/"),
        (type(moderator), "/admin/accounts/user/"),
    ):
        expected = 403 if admin.site.is_registered(model) else 404
        assert mod_client.get(url).status_code == expected, url
    for perm in (
        "articles.view_article",
        "articles.change_article",
        "accounts.view_user",
        "articles.change_sitesettings",
    ):
        assert not moderator.has_perm(perm)


def test_reader_cannot_open_the_moderation_queue(client, article):
    reader = factories.make_user()
    client.force_login(reader)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    comment = factories.make_comment(article=article, status=Status.PENDING)
    client.post(
        reverse("admin:comments_comment_moderate", args=[comment.pk]), {"status": "approved"}
    )
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_pending_count_template_tag(moderator, article):
    factories.make_comment(article=article, status=Status.PENDING)
    factories.make_comment(article=article, status=Status.PENDING)
    factories.make_comment(article=article, status=Status.APPROVED)
    template = Template("{% load comments_admin %}{% pending_comments_count %}")
    request = RequestFactory().get("/admin/")
    request.user = moderator
    html = template.render(Context({"request": request}))
    assert "تعليقات بانتظار المراجعة: <strong>2</strong>" in html
    assert 'href="/admin/comments/comment/?status=pending"' in html
    request.user = factories.make_user()
    assert template.render(Context({"request": request})).strip() == ""


def test_moderate_url_with_unknown_id_is_404(mod_client):
    assert (
        mod_client.post("/admin/comments/comment/abc/moderate/", {"status": "approved"}).status_code
        == 404
    )
    assert (
        mod_client.post("/admin/comments/comment/999/moderate/", {"status": "approved"}).status_code
        == 404
    )


def test_pending_count_is_visible_on_every_admin_page_for_moderators(client):
    """The admin's own pages (index, another model's list) show the pending count."""
    from tests.factories import make_article, make_comment, make_moderator

    article = make_article()
    make_comment(article=article, status="pending")
    make_comment(article=article, status="pending")
    make_comment(article=article, status="approved")
    client.force_login(make_moderator())
    for url in ("/admin/", "/admin/comments/bannedword/", "/admin/password_change/"):
        html = client.get(url).content.decode()
        assert 'class="pending-comments-count"' in html, url
        assert "<strong>2</strong>" in html, url


# ----- the queue reads like Coral's ------------------------------------------------------


def test_row_shows_the_commenters_earlier_outcomes_beside_the_name(mod_client, article):
    email = "Huda@Example.org"
    for status, count in ((Status.APPROVED, 3), (Status.REJECTED, 1), (Status.SPAM, 2)):
        for _ in range(count):
            factories.make_comment(article=article, status=status, email=email.lower())
    factories.make_comment(article=article, status=Status.PENDING, email=email, name="هدى")
    factories.make_comment(
        article=article, status=Status.PENDING, email="new@example.org", name="وافد"
    )
    html = mod_client.get(CHANGELIST).content.decode()
    huda = html[html.index('<bdi class="mod-name">هدى</bdi>') :][:800]
    assert "مقبولة: 3" in huda
    assert "مرفوضة: 1" in huda
    assert "مزعجة: 2" in huda
    newcomer = html[html.index('<bdi class="mod-name">وافد</bdi>') :][:400]
    assert "أول تعليق" in newcomer


def test_history_counts_cost_the_same_queries_for_any_number_of_rows(mod_client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_of(size):
        Comment.objects.all().delete()
        for n in range(size):
            email = f"reader{n}@example.org"
            factories.make_comment(article=article, status=Status.APPROVED, email=email)
            factories.make_comment(article=article, status=Status.SPAM, email=email)
            parent = factories.make_comment(article=article, email=email)
            factories.make_comment(
                article=article, status=Status.PENDING, email=email, parent=parent
            )
        with CaptureQueriesContext(connection) as queries:
            response = mod_client.get(CHANGELIST)
        assert len(rows(response)) == size
        return len(queries)

    queue_of(2)  # the first request fills the small caches (rules, site settings)
    assert queue_of(2) == queue_of(12)


def test_row_shows_the_whole_comment_with_its_article_and_parent(mod_client, article):
    long_text = "سطر أول من تعليق طويل.\n" + "كلمة " * 120 + "نهاية التعليق"
    parent = factories.make_comment(article=article, name="والد", text="التعليق الأصلي")
    factories.make_comment(article=article, parent=parent, status=Status.PENDING, text=long_text)
    html = mod_client.get(CHANGELIST).content.decode()
    assert "نهاية التعليق" in html  # not cut short
    assert "سطر أول من تعليق طويل.<br>" in html
    assert f'target="_blank" rel="noopener">{article.title}</a>' in html
    assert "ردًّا على والد:" in html


def test_reader_text_in_the_queue_is_escaped(mod_client, article):
    factories.make_comment(
        article=article,
        status=Status.PENDING,
        name="<b>اسم</b>",
        text='<script>alert("x")</script><img src=x onerror=alert(1)>',
    )
    html = mod_client.get(CHANGELIST).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "<b>اسم</b>" not in html


def test_queue_offers_keyboard_shortcuts(mod_client, article):
    comment = factories.make_comment(article=article, status=Status.PENDING)
    html = mod_client.get(CHANGELIST).content.decode()
    assert "admin-rtl/moderation.js" in html
    assert "admin-rtl/moderation.css" in html
    assert 'id="moderation-keys"' in html
    assert "لوحة المفاتيح:" in html
    moderate = reverse("admin:comments_comment_moderate", args=[comment.pk])
    for value, key in (("approved", "A"), ("rejected", "R"), ("spam", "S")):
        assert (
            f'formaction="{moderate}" name="status" value="{value}" aria-keyshortcuts="{key}"'
        ) in html


def test_bulk_delete_still_works_on_the_annotated_queue(mod_client, article):
    doomed = [factories.make_comment(article=article, status=Status.SPAM) for _ in range(3)]
    response = mod_client.post(
        CHANGELIST + "?status=spam",
        {
            "action": "delete_selected",
            "_selected_action": [c.pk for c in doomed],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(pk__in=[c.pk for c in doomed]).exists()


def _reply_chain(article, depth):
    parent = None
    chain = []
    for n in range(depth):
        parent = Comment.objects.create(
            article=article, parent=parent, name="ق", email="a@example.org", text=f"رد رقم {n}"
        )
        chain.append(parent)
    return chain


def test_delete_page_and_delete_of_a_deep_reply_chain(mod_client, article):
    """A chain 400 replies deep: the confirmation page lists it flat and deletes it all."""
    chain = _reply_chain(article, 400)
    url = f"/admin/comments/comment/{chain[0].pk}/delete/"
    response = mod_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "و399 رداً عليها" in html
    response = mod_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_bulk_delete_of_deep_reply_chains(mod_client, article):
    chain = _reply_chain(article, 400)
    other = _reply_chain(article, 3)
    keep = factories.make_comment(article=article)
    data = {"action": "delete_selected", "_selected_action": [chain[0].pk, other[1].pk]}
    response = mod_client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "رداً عليها" in response.content.decode()
    response = mod_client.post(CHANGELIST, {**data, "post": "yes"})
    assert response.status_code == 302
    assert set(Comment.objects.all()) == {keep, other[0]}


def test_admin_search_with_a_nul_is_refused_not_a_crash(mod_client, article):
    response = mod_client.get(CHANGELIST, {"q": "نص\x00"})
    assert response.status_code == 400
