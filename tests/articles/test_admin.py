"""The newsroom admin through its URLs: roles, workflow, conflicts, lists, look."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Kind, SiteSettings, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(db):
    return factories.make_staff(role="journalist", username="layla", display_name="ليلى")


@pytest.fixture
def other_journalist(db):
    return factories.make_staff(role="journalist", username="omar", display_name="عمر")


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", username="rana", display_name="رنا")


@pytest.fixture
def moderator(db):
    return factories.make_staff(role="moderator", username="sami")


def change_url(article, model="article"):
    return reverse(f"admin:articles_{model}_change", args=[article.pk])


def form_data(client, article, model="article", **overrides):
    """What the change form would post back unchanged, plus ``overrides``."""
    response = client.get(change_url(article, model))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        if name in ("image", "published_at"):
            continue
        value = form[name].value()
        if name == "tags":
            value = ", ".join(tag.name for tag in article.tags.all())
        if value is True:
            value = "on"
        if value is False or value is None:
            continue
        data[name] = value
    if "published_at" in form.fields:
        data["published_at_0"] = ""
        data["published_at_1"] = ""
    data.update(overrides)
    return data


def draft_of(author, **extra):
    extra.setdefault("title", "مسودة عن الاقتصاد السوري")
    return factories.make_article(author=author, status=Status.DRAFT, **extra)


# ----- look and language --------------------------------------------------------


def test_admin_pages_are_arabic_rtl_and_carry_the_site_name(client, editor):
    site = SiteSettings.load()
    site.site_name = "ليفانت 24 التجريبي"
    site.save()
    client.force_login(editor)
    for url in (reverse("admin:index"), reverse("admin:articles_article_changelist")):
        html = client.get(url).content.decode()
        assert '<html lang="ar" dir="rtl"' in html
        assert "ليفانت 24 التجريبي" in html
        assert "إدارة جانغو" not in html
        assert "admin-rtl/admin.css" in html


def test_site_name_falls_back_to_levant24(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "ليفانت 24" in html


def test_admin_menu_has_one_entry_per_kind_and_all_articles(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    for label in (
        "كل المقالات",
        "أخبار",
        "تحليلات",
        "مقابلات",
        "مقال عميق",
        "مقال رأي",
        "إنفوجرافيك",
        "فيديو",
    ):
        assert label in html, label


def test_kind_entry_lists_only_its_kind(client, editor):
    news = factories.make_article(kind=Kind.NEWS, title="خبر عن حمص")
    interview = factories.make_article(kind=Kind.INTERVIEW, title="مقابلة مع وزير")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_interviewarticle_changelist"))
    assert list(response.context["cl"].result_list) == [interview]
    assert news.title not in response.content.decode()


def test_kind_form_shows_only_its_own_fields(client, editor):
    client.force_login(editor)
    interview_form = (
        client.get(reverse("admin:articles_interviewarticle_add")).context["adminform"].form
    )
    news_form = client.get(reverse("admin:articles_newsarticle_add")).context["adminform"].form
    video_form = client.get(reverse("admin:articles_videoarticle_add")).context["adminform"].form
    assert "interviewee_name" in interview_form.fields
    assert "video_url" not in interview_form.fields
    assert "kind" not in interview_form.fields
    assert "interviewee_name" not in news_form.fields
    assert "video_url" in video_form.fields


def test_adding_through_a_kind_entry_sets_the_kind(client, journalist, section):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_opinionarticle_add"),
        {
            "title": "رأي في الانتخابات",
            "slug": "رأي-في-الانتخابات",
            "section": section.pk,
            "tags": "انتخابات",
            "lead": "",
            "body": "<p>نص</p>",
            "comments_open": "on",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.kind == Kind.OPINION
    assert article.author == journalist
    assert article.status == Status.DRAFT
    assert [t.name for t in article.tags.all()] == ["انتخابات"]


def test_slug_is_prepopulated_keeping_arabic(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_newsarticle_add")).content.decode()
    # The admin's URLify keeps unicode letters when the slug field allows them.
    assert "&quot;allowUnicode&quot;: true" in html
    assert "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]" in html


def test_change_form_has_rich_text_editor_with_arabic_and_rtl_assets(client, editor, article):
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "admin-rtl/prose-editor-ar.js" in html
    assert "admin-rtl/prose-editor-rtl.css" in html
    assert reverse("admin:jsi18n") in html


def test_javascript_catalogue_has_arabic_editor_labels(client, editor):
    client.force_login(editor)
    js = client.get(reverse("admin:jsi18n")).content.decode()
    assert '"Bold": "\\u063a\\u0627\\u0645\\u0642"' in js or "غامق" in js
    assert "Image URL" in js


def test_tag_suggestions_return_matching_tags(client, journalist):
    factories.make_article(tags=["دمشق", "درعا", "حلب"])
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_tags"), {"q": "د"})
    assert response.json() == {"tags": ["درعا", "دمشق"]}


def test_tag_suggestions_are_refused_to_readers(client):
    reader = factories.make_user()
    client.force_login(reader)
    response = client.get(reverse("admin:articles_article_tags"), {"q": "د"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# ----- lists ------------------------------------------------------------------


def test_changelist_shows_columns_and_badges(client, editor, section):
    factories.make_article(title="منشور اليوم", section=section)
    factories.make_article(title="مجدول للغد", published_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "منشور اليوم" in html
    assert 'class="status-badge status-published"' in html
    assert 'class="status-badge status-scheduled"' in html
    assert section.name in html


def test_list_thumbnail_and_form_preview_show_the_featured_image(client, editor, section):
    from tests.articles.test_feeds import png_upload

    article = factories.make_article(
        title="مقال مصوّر", section=section, image=png_upload(), image_alt="جسر في حلب"
    )
    client.force_login(editor)
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'class="article-thumb" src="{article.image.url}"' in listing
    form = client.get(change_url(article)).content.decode()
    assert f'class="article-image-preview" src="{article.image.url}" alt="جسر في حلب"' in form


def test_changelist_query_count_does_not_grow_with_rows(
    client, editor, django_assert_max_num_queries
):
    for _ in range(3):
        factories.make_article()
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    client.get(url)
    with django_assert_max_num_queries(18) as few:
        client.get(url)
    warm_count = len(few.captured_queries)
    for _ in range(20):
        factories.make_article()
    client.get(url)  # the new articles made the cached site settings stale: warm again
    with django_assert_max_num_queries(warm_count):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 23


def test_changelist_filters_and_search(client, editor):
    factories.make_article(title="زلزال في اللاذقية", status=Status.REVIEW, published_at=None)
    factories.make_article(title="أسعار الذهب")
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    review = client.get(url, {"status": "review"}).context["cl"].result_list
    assert [a.title for a in review] == ["زلزال في اللاذقية"]
    found = client.get(url, {"q": "الذهب"}).context["cl"].result_list
    assert [a.title for a in found] == ["أسعار الذهب"]


# ----- roles ------------------------------------------------------------------


def test_roles_exist_with_their_permissions():
    journalist = Group.objects.get(name="journalist")
    editor = Group.objects.get(name="editor")
    moderator = Group.objects.get(name="moderator")
    assert journalist.permissions.filter(codename="add_article").exists()
    assert not journalist.permissions.filter(codename="publish_article").exists()
    assert editor.permissions.filter(codename="publish_article").exists()
    assert editor.permissions.filter(codename="change_section").exists()
    assert editor.permissions.filter(codename="change_tag").exists()
    assert not moderator.permissions.filter(content_type__app_label="articles").exists()


def test_readers_cannot_reach_the_admin(client):
    client.force_login(factories.make_user())
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_moderator_has_no_access_to_articles(client, moderator, article):
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(change_url(article)).status_code in (302, 403)
    response = client.post(change_url(article), {"title": "عنوان مخرّب"})
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert article.title == "الشرع يزور حلب"


def test_journalist_lists_everything_they_wrote_in_every_state(
    client, journalist, other_journalist
):
    """My articles: drafts, sent back, in review, scheduled and published; no colleague's."""
    own = draft_of(journalist, title="مسودتي")
    sent_back = draft_of(journalist, title="أعيد إليّ", review_note="أضف مصدراً")
    in_review = factories.make_article(author=journalist, status=Status.REVIEW, title="قيد مراجعتي")
    scheduled = factories.make_article(
        author=journalist, title="مجدول لي", published_at=timezone.now() + timedelta(days=1)
    )
    published = factories.make_article(author=journalist, title="منشور لي")
    draft_of(other_journalist, title="مسودة زميلي")
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert set(response.context["cl"].result_list) == {
        own,
        sent_back,
        in_review,
        scheduled,
        published,
    }
    html = response.content.decode()
    assert "مقالاتي" in html
    assert "أضف مصدراً" in html  # the editor's note, in its own column
    for label in ("قيد المراجعة", "مجدول", "منشور", "أُعيد إلى الكاتب"):
        assert label in html


def test_journalist_edits_own_draft(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    data = form_data(client, article, title="عنوان جديد للمسودة")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "عنوان جديد للمسودة"


def test_article_with_a_featured_image_saves_again_without_a_new_upload(client, journalist):
    """The stored image is not re-validated (it was when uploaded): editing the text of an
    illustrated article must not ask for the image again."""
    from django.core.files.base import ContentFile

    article = draft_of(journalist, kind=Kind.INTERVIEW)
    article.image.save("souq.png", ContentFile(_png_bytes()), save=True)
    stored = article.image.name
    client.force_login(journalist)
    data = form_data(client, article, "interviewarticle", title="عنوان بعد التعديل")
    response = client.post(change_url(article, "interviewarticle"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "عنوان بعد التعديل"
    assert article.image.name == stored


def test_journalist_cannot_touch_others_articles_by_direct_post(
    client, journalist, other_journalist
):
    article = draft_of(other_journalist, title="مسودة زميلي")
    client.force_login(journalist)
    assert client.get(change_url(article)).status_code == 302
    response = client.post(change_url(article), {"title": "سطو", "section": article.section_id})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "مسودة زميلي"


def test_journalist_cannot_edit_or_delete_own_published_article(client, journalist):
    article = factories.make_article(author=journalist, title="منشور لي")
    client.force_login(journalist)
    client.post(change_url(article), {"title": "تعديل", "section": article.section_id})
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    article.refresh_from_db()
    assert article.title == "منشور لي"


def test_journalist_can_delete_own_draft(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_journalist_publish_button_post_is_refused(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    data = form_data(client, article, title="محاولة نشر", _publish="1")
    response = client.post(change_url(article), data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.title != "محاولة نشر"


def test_journalist_publish_action_post_is_refused(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_journalist_cannot_set_status_or_publish_time_through_the_form(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    data = form_data(
        client,
        article,
        status="published",
        published_at_0="01/01/2025",
        published_at_1="10:00",
        author=journalist.pk,
    )
    client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.published_at is None


def test_journalist_buttons_show_submit_but_not_publish(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    html = client.get(change_url(article)).content.decode()
    assert 'name="_submit_review"' in html
    assert 'name="_publish"' not in html
    assert 'name="_unpublish"' not in html


# ----- workflow ---------------------------------------------------------------


def test_journalist_submits_for_review(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    response = client.post(change_url(article), form_data(client, article, _submit_review="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_editor_sees_review_count(client, editor, journalist):
    factories.make_article(author=journalist, status=Status.REVIEW)
    factories.make_article(author=journalist, status=Status.REVIEW)
    draft_of(journalist)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "مقالان ينتظران المراجعة" in html


def test_journalist_does_not_see_review_count(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'class="review-count"' not in html


def test_editor_publishes_now_and_who_is_recorded(client, editor, journalist):
    article = draft_of(journalist)
    Article.objects.filter(pk=article.pk).update(status=Status.REVIEW)
    client.force_login(editor)
    before = timezone.now()
    response = client.post(change_url(article), form_data(client, article, _publish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_by == editor
    assert before <= article.published_at <= timezone.now()
    assert article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_for_later_and_it_stays_off_the_site(client, editor, journalist):
    article = draft_of(journalist)
    client.force_login(editor)
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    data = form_data(
        client,
        article,
        _publish="1",
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1=later.strftime("%H:%M"),
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at > timezone.now()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editor_unpublishes(client, editor, article):
    client.force_login(editor)
    response = client.post(change_url(article), form_data(client, article, _unpublish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not article.is_public


def test_editor_sends_back_with_a_note(client, editor, journalist):
    article = draft_of(journalist)
    Article.objects.filter(pk=article.pk).update(status=Status.REVIEW)
    client.force_login(editor)
    data = form_data(client, article, _send_back="1", review_note="المصدر الثاني ناقص")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.review_note == "المصدر الثاني ناقص"
    client.force_login(journalist)
    html = client.get(change_url(article)).content.decode()
    assert "المصدر الثاني ناقص" in html


def test_send_back_without_a_note_is_refused(client, editor, journalist):
    article = draft_of(journalist)
    Article.objects.filter(pk=article.pk).update(status=Status.REVIEW)
    client.force_login(editor)
    response = client.post(
        change_url(article), form_data(client, article, _send_back="1", review_note="")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["review_note"]
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_editor_edits_any_article(client, editor, journalist):
    article = draft_of(journalist)
    client.force_login(editor)
    response = client.post(change_url(article), form_data(client, article, lead="موجز محرَّر"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead == "موجز محرَّر"


def test_editor_publish_action_records_who(client, editor, journalist):
    first = draft_of(journalist)
    second = draft_of(journalist, title="ثانية")
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [first.pk, second.pk]},
    )
    for article in (first, second):
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.published_by == editor


def test_editor_manages_sections_but_not_users(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_section_add")).status_code == 200
    assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_sitesettings_changelist")).status_code == 403


def test_journalist_cannot_manage_sections_tags_users_or_settings(client, journalist):
    section = factories.make_section(name="اقتصاد", slug="اقتصاد")
    client.force_login(journalist)
    assert client.get(reverse("admin:articles_section_add")).status_code == 403
    response = client.post(reverse("admin:articles_section_add"), {"name": "قسم دخيل"})
    assert response.status_code == 403
    change = reverse("admin:articles_section_change", args=[section.pk])
    assert client.post(change, {"name": "اسم مخرّب", "slug": "x"}).status_code == 403
    assert client.get(reverse("admin:taggit_tag_add")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_sitesettings_changelist")).status_code == 403
    section.refresh_from_db()
    assert section.name == "اقتصاد"
    assert not type(section).objects.filter(name="قسم دخيل").exists()


def test_site_admin_assigns_roles(client):
    admin_user = factories.make_user(is_staff=True, is_superuser=True)
    reporter = factories.make_user(username="new-reporter")
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[reporter.pk])
    form = client.get(url).context["adminform"].form
    data = {
        "username": reporter.username,
        "email": reporter.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="journalist").pk],
        "date_joined_0": form["date_joined"].value().strftime("%d/%m/%Y"),
        "date_joined_1": form["date_joined"].value().strftime("%H:%M:%S"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reporter.refresh_from_db()
    assert reporter.is_staff
    assert list(reporter.groups.values_list("name", flat=True)) == ["journalist"]


# ----- no lost work -------------------------------------------------------------


def test_conflicting_save_is_refused_and_text_kept(client, editor, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    stale = form_data(client, article, body="<p>نص الصحفية الذي لا يجوز أن يضيع</p>")
    # Meanwhile the editor saves the same article.
    editor_client = client.__class__()
    editor_client.force_login(editor)
    editor_client.post(change_url(article), form_data(editor_client, article, lead="تعديل المحرر"))
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "تغيّر هذا المقال" in html
    assert "نص الصحفية الذي لا يجوز أن يضيع" in html
    article.refresh_from_db()
    assert article.lead == "تعديل المحرر"
    assert "نص الصحفية" not in article.body


def test_save_without_the_loaded_version_is_refused(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    data = form_data(client, article, title="بلا نسخة")
    del data["loaded_version"]
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title != "بلا نسخة"


def test_body_is_sanitized_through_the_admin(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    data = form_data(
        client,
        article,
        body='<p onclick="x()">نص<script>alert(1)</script><img src="javascript:x" alt="ب"></p>',
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "نص" in article.body


# ----- images in the body -------------------------------------------------------


def _png_bytes():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_editor_offers_figure_with_our_upload_page(client, journalist):
    article = draft_of(journalist)
    client.force_login(journalist)
    html = client.get(change_url(article)).content.decode()
    assert "Figure" in html
    assert reverse("admin:articles_article_body_image").replace("/", "\\/") in html or (
        reverse("admin:articles_article_body_image") in html
    )


def test_body_image_upload_stores_a_checked_image(client, journalist, _media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(journalist)
    upload = SimpleUploadedFile("صورة.png", _png_bytes(), content_type="image/png")
    response = client.post(
        reverse("admin:articles_article_body_image"), {"image": upload, "func": "-1"}
    )
    assert response.status_code == 200
    url = response.context["image_url"]
    assert url.startswith("/media/articles/body/") and url.endswith(".png")
    assert 'data-body-image-url="' + url in response.content.decode()


def test_body_image_upload_refuses_non_images(client, journalist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(journalist)
    upload = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("admin:articles_article_body_image"), {"image": upload})
    assert response.status_code == 200
    assert response.context["image_url"] == ""
    assert response.context["form"].errors["image"]


def test_body_image_upload_is_refused_to_moderators(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_article_body_image")).status_code == 403


def test_view_on_site_opens_the_preview_for_unpublished_articles(client, editor, journalist):
    draft = draft_of(journalist)
    client.force_login(editor)
    html = client.get(change_url(draft)).content.decode()
    preview = reverse("articles:preview", args=[draft.pk])
    assert f'<a href="{preview}" class="viewsitelink">' in html


def test_journalist_adds_and_submits_in_one_step(client, journalist, section):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_newsarticle_add"),
        {
            "title": "خبر جديد للمراجعة",
            "slug": "خبر-جديد-للمراجعة",
            "section": section.pk,
            "body": "<p>نص</p>",
            "_submit_review": "1",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.author, article.kind) == (Status.REVIEW, journalist, Kind.NEWS)
    assert article.slug == "خبر-جديد-للمراجعة"


@pytest.mark.parametrize(
    ("status", "button"),
    [
        (Status.DRAFT, "_unpublish"),
        (Status.REVIEW, "_submit_review"),
        (Status.PUBLISHED, "_send_back"),
        (Status.PUBLISHED, "_publish"),
    ],
)
def test_a_button_that_does_not_fit_the_state_is_refused_and_text_kept(
    client, editor, status, button
):
    article = factories.make_article(status=status)
    client.force_login(editor)
    data = form_data(client, article, lead="موجز لا يضيع", review_note="ملاحظة")
    data[button] = "1"
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "لا ينطبق هذا الإجراء" in response.content.decode()
    assert "موجز لا يضيع" in response.content.decode()
    article.refresh_from_db()
    assert article.status == status
    assert article.lead != "موجز لا يضيع"
