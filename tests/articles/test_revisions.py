"""Every admin save keeps a revision; editors compare two and restore one."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Status
from tests import factories
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", display_name="رنا المحررة")


@pytest.fixture
def edited_article(client, editor):
    article = factories.make_article(
        status=Status.DRAFT, published_at=None, title="العنوان الأول", body="<p>النص الأول</p>"
    )
    client.force_login(editor)
    client.post(change_url(article), form_data(client, article))
    client.post(
        change_url(article),
        form_data(client, article, title="العنوان الثاني", body="<p>النص الثاني</p>"),
    )
    return article


def test_every_admin_save_keeps_a_revision_with_who_and_what(edited_article, editor):
    versions = list(Version.objects.get_for_object(edited_article).select_related("revision"))
    assert len(versions) == 2
    newest = versions[0]
    assert newest.revision.user == editor
    assert "العنوان" in newest.revision.get_comment()
    assert newest.field_dict["title"] == "العنوان الثاني"
    assert versions[1].field_dict["title"] == "العنوان الأول"


def test_editor_compares_two_revisions(client, edited_article):
    newest, older = Version.objects.get_for_object(edited_article)
    url = reverse("admin:articles_article_revisions", args=[edited_article.pk])
    response = client.get(url, {"a": older.pk, "b": newest.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "النص <del>الأول</del> <ins>الثاني</ins>" in html
    assert "العنوان <del>الأول</del> <ins>الثاني</ins>" in html
    assert "رنا المحررة" in html


def test_editor_restores_an_earlier_revision(client, edited_article, editor):
    newest, older = Version.objects.get_for_object(edited_article)
    url = reverse("admin:articles_article_restore", args=[edited_article.pk, older.pk])
    assert client.get(url).status_code == 302  # GET never restores
    edited_article.refresh_from_db()
    assert edited_article.title == "العنوان الثاني"
    response = client.post(url)
    assert response.status_code == 302
    edited_article.refresh_from_db()
    assert edited_article.title == "العنوان الأول"
    assert edited_article.body == "<p>النص الأول</p>"
    assert edited_article.status == Status.DRAFT
    assert Version.objects.get_for_object(edited_article).count() == 3


def test_restore_keeps_the_publish_state(client, editor):
    article = factories.make_article(title="قبل")
    client.force_login(editor)
    client.post(change_url(article), form_data(client, article))
    client.post(change_url(article), form_data(client, article, title="بعد"))
    client.post(change_url(article), form_data(client, article, _unpublish="1"))
    older = Version.objects.get_for_object(article).last()
    client.post(reverse("admin:articles_article_restore", args=[article.pk, older.pk]))
    article.refresh_from_db()
    assert article.title == "قبل"
    assert article.status == Status.DRAFT


def test_journalist_cannot_compare_or_restore(client, edited_article):
    journalist = factories.make_staff(role="journalist")
    edited_article.author = journalist
    edited_article.save()
    newest, older = Version.objects.get_for_object(edited_article)[:2]
    client.force_login(journalist)
    url = reverse("admin:articles_article_revisions", args=[edited_article.pk])
    assert client.get(url).status_code == 403
    restore = reverse("admin:articles_article_restore", args=[edited_article.pk, older.pk])
    assert client.post(restore).status_code == 403


def test_saving_through_a_kind_entry_keeps_a_revision(client, editor):
    article = factories.make_article(kind="video", status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    data = form_data(client, article, model="videoarticle", lead="موجز الفيديو")
    response = client.post(change_url(article, "videoarticle"), data)
    assert response.status_code == 302
    version = Version.objects.get_for_object(article).get()
    assert version.field_dict["lead"] == "موجز الفيديو"
    assert version.revision.user == editor


def test_restoring_a_revision_brings_back_its_tags(client, editor):
    article = factories.make_article(status=Status.DRAFT, published_at=None, tags=["دمشق"])
    client.force_login(editor)
    client.post(change_url(article), form_data(client, article, tags="دمشق، معارض"))
    client.post(change_url(article), form_data(client, article, tags="اقتصاد"))
    assert sorted(article.tags.names()) == ["اقتصاد"]
    newest, older = Version.objects.get_for_object(article)
    assert older.article_tags.names == ["دمشق", "معارض"]
    assert newest.article_tags.names == ["اقتصاد"]

    compare = reverse("admin:articles_article_revisions", args=[article.pk])
    html = client.get(compare, {"a": older.pk, "b": newest.pk}).content.decode()
    assert "<del>دمشق، معارض</del>" in html
    assert "<ins>اقتصاد</ins>" in html

    restore = reverse("admin:articles_article_restore", args=[article.pk, older.pk])
    assert client.post(restore).status_code == 302
    assert sorted(article.tags.names()) == ["دمشق", "معارض"]
    # The restore is itself a version, with the tags it brought back.
    assert Version.objects.get_for_object(article).first().article_tags.names == [
        "دمشق",
        "معارض",
    ]


def test_a_version_saved_before_tags_were_kept_leaves_the_tags_alone(client, editor):
    article = factories.make_article(status=Status.DRAFT, published_at=None, tags=["دمشق"])
    client.force_login(editor)
    client.post(change_url(article), form_data(client, article, title="عنوان أول"))
    client.post(change_url(article), form_data(client, article, title="عنوان ثان"))
    newest, older = Version.objects.get_for_object(article)
    older.article_tags.delete()
    restore = reverse("admin:articles_article_restore", args=[article.pk, older.pk])
    client.post(restore)
    article.refresh_from_db()
    assert article.title == "عنوان أول"
    assert list(article.tags.names()) == ["دمشق"]
