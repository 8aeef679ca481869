"""Live coverage (تغطية مباشرة): its updates, its page, the small endpoint readers poll, its
purges, its structured data and how editors write it."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Kind, LiveUpdate, Status
from articles.services import live_coverage_end
from tests import factories

from .test_seo import json_ld_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage(author, section):
    return factories.make_article(
        kind=Kind.LIVE, title="تغطية مباشرة: فيضانات في الساحل", author=author, section=section
    )


def minutes_ago(minutes):
    return timezone.now() - timezone.timedelta(minutes=minutes)


def endpoint(article):
    return reverse("articles:live_json", args=[article.pk])


# --- Model rules ------------------------------------------------------------------------


def test_updates_belong_to_live_coverage_only(article):
    update = LiveUpdate(article=article, body="<p>نص</p>", author=article.author)
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "article" in error.value.message_dict


def test_an_update_image_needs_alt_text(coverage):
    update = LiveUpdate(article=coverage, body="<p>نص</p>", author=coverage.author)
    update.image.save("photo.jpg", factories.make_image_file(), save=False)
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "image_alt" in error.value.message_dict


def test_update_text_is_sanitized_like_article_bodies(coverage):
    update = factories.make_live_update(
        article=coverage, body='<p onclick="x()">نص<script>alert(1)</script></p>'
    )
    update.refresh_from_db()
    assert "script" not in update.body and "onclick" not in update.body
    assert "نص" in update.body


def test_updates_are_newest_first_and_key_points_are_the_pinned_ones(coverage):
    old = factories.make_live_update(article=coverage, posted_at=minutes_ago(30), pinned=True)
    new = factories.make_live_update(article=coverage, posted_at=minutes_ago(1))
    assert list(coverage.live_updates.newest_first()) == [new, old]
    assert list(coverage.live_updates.key_points()) == [old]


def test_coverage_is_live_until_an_editor_ends_it(coverage):
    editor = factories.make_staff(role="editor", username="boss")
    assert coverage.is_live
    live_coverage_end(article=coverage, by=editor)
    coverage.refresh_from_db()
    assert coverage.coverage_ended_at is not None and not coverage.is_live


def test_only_editors_end_a_coverage_and_only_a_live_one(coverage, article):
    journalist = factories.make_staff(role="journalist", username="writer")
    with pytest.raises(PermissionDenied):
        live_coverage_end(article=coverage, by=journalist)
    with pytest.raises(ValidationError):
        live_coverage_end(article=article, by=factories.make_staff(role="editor"))


# --- The page -----------------------------------------------------------------------------


def test_page_lists_updates_newest_first_with_time_author_and_key_points(coverage):
    factories.make_live_update(
        article=coverage, body="<p>التحديث الأول</p>", posted_at=minutes_ago(20), pinned=True
    )
    factories.make_live_update(
        article=coverage,
        body="<p>التحديث الثاني</p>",
        posted_at=minutes_ago(5),
        embed_url="https://www.youtube.com/watch?v=abc123",
    )
    response = Client().get(coverage.get_absolute_url())
    html = response.content.decode()
    updates = re.findall(r'<li class="live-update[^"]*" id="update-(\d+)"', html)
    assert len(updates) == 2 and int(updates[0]) > int(updates[1])
    assert "النقاط الرئيسية" in html and "نقطة رئيسية" in html
    assert coverage.author.public_name in html
    assert "youtube-nocookie.com/embed/abc123" in html
    assert f'data-live="{endpoint(coverage)}"' in html and "data-live-ended" not in html
    assert f"live-{coverage.pk}" in response["Surrogate-Key"].split()


def test_an_ended_coverage_says_so_and_stops_readers_polling(coverage):
    coverage.coverage_ended_at = timezone.now()
    coverage.save()
    html = Client().get(coverage.get_absolute_url()).content.decode()
    assert "انتهت هذه التغطية المباشرة." in html and "data-live-ended" in html


def test_live_coverage_has_its_own_listing_and_menu_entry(coverage):
    url = reverse("articles:kind", args=["تغطية-مباشرة"])
    response = Client().get(url)
    assert response.status_code == 200 and coverage.title in response.content.decode()
    home = Client().get("/").content.decode()
    assert f'href="{url}"' in home and "تغطية مباشرة" in home


def test_structured_data_is_a_live_blog_posting(coverage):
    update = factories.make_live_update(article=coverage, body="<p>وصول فرق &amp; الإنقاذ</p>")
    coverage.coverage_ended_at = timezone.now()
    coverage.save()
    data, _breadcrumb = json_ld_of(Client(), coverage)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == coverage.published_at.isoformat()
    assert data["coverageEndTime"] == coverage.coverage_ended_at.isoformat()
    [entry] = data["liveBlogUpdate"]
    assert entry["@type"] == "BlogPosting"
    assert entry["articleBody"] == "وصول فرق & الإنقاذ"
    assert entry["datePublished"] == update.posted_at.isoformat()
    assert entry["url"].endswith(f"#update-{update.pk}")


def test_open_coverage_has_no_end_time(coverage):
    data, _breadcrumb = json_ld_of(Client(), coverage)
    assert "coverageEndTime" not in data and "coverageStartTime" in data


# --- The endpoint -------------------------------------------------------------------------


def test_endpoint_is_shared_with_the_coverage_key_and_answers_304_when_unchanged(
    coverage, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    update = factories.make_live_update(article=coverage, body="<p>تحديث أول</p>")
    response = Client().get(endpoint(coverage))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=30, s-maxage=600,")
    keys = response["Surrogate-Key"].split()
    assert {f"live-{coverage.pk}", f"article-{coverage.pk}"} <= set(keys)
    assert not response.cookies and "cookie" not in response.get("Vary", "").lower()
    data = response.json()
    assert data["ended"] is False
    assert [u["id"] for u in data["updates"]] == [update.pk]
    assert 'id="update-' in data["updates"][0]["html"] and "تحديث أول" in data["updates"][0]["html"]

    etag = response["ETag"]
    again = Client().get(endpoint(coverage), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    factories.make_live_update(article=coverage, body="<p>تحديث ثان</p>")
    changed = Client().get(endpoint(coverage), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert len(changed.json()["updates"]) == 2


def test_endpoint_is_the_same_for_every_reader(coverage):
    factories.make_live_update(article=coverage)
    signed_in = Client()
    signed_in.force_login(factories.make_reader(display_name="ريم"))
    assert signed_in.get(endpoint(coverage)).content == Client().get(endpoint(coverage)).content


def test_endpoint_hides_drafts_and_other_kinds(author, section, article):
    draft = factories.make_article(
        kind=Kind.LIVE, status=Status.DRAFT, author=author, section=section
    )
    assert Client().get(endpoint(draft)).status_code == 404
    assert Client().get(endpoint(article)).status_code == 404


def test_adding_editing_or_deleting_an_update_purges_only_its_coverage_after_commit(
    coverage, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        update = factories.make_live_update(article=coverage)
    assert purged == []
    for callback in pending:
        callback()
    assert purged == [{f"live-{coverage.pk}"}]
    with django_capture_on_commit_callbacks(execute=True):
        update.body = "<p>تصحيح</p>"
        update.save()
    with django_capture_on_commit_callbacks(execute=True):
        update.delete()
    assert purged[1:] == [{f"live-{coverage.pk}"}, {f"live-{coverage.pk}"}]


# --- The admin ----------------------------------------------------------------------------


def editor_client():
    editor = factories.make_staff(role="editor", username="boss")
    client = Client()
    client.force_login(editor)
    return client, editor


def test_an_editor_adds_an_update_and_comes_back_to_a_fresh_form_for_the_same_coverage(
    coverage,
):
    client, editor = editor_client()
    add = reverse("admin:articles_liveupdate_add")
    form = client.get(f"{add}?article={coverage.pk}")
    assert form.status_code == 200
    now = timezone.localtime()
    response = client.post(
        f"{add}?article={coverage.pk}",
        {
            "article": coverage.pk,
            "body": "<p>بدء عمليات الإجلاء</p>",
            "pinned": "on",
            "image_alt": "",
            "embed_url": "",
            "posted_at_0": now.strftime("%Y-%m-%d"),
            "posted_at_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"{add}?article={coverage.pk}"
    update = LiveUpdate.objects.get()
    assert update.author == editor and update.pinned and update.article == coverage


def test_an_editor_edits_and_deletes_an_update(coverage):
    client, _editor = editor_client()
    update = factories.make_live_update(article=coverage)
    change = reverse("admin:articles_liveupdate_change", args=[update.pk])
    assert client.get(change).status_code == 200
    delete = reverse("admin:articles_liveupdate_delete", args=[update.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not LiveUpdate.objects.exists()


def test_the_coverage_form_links_to_its_updates_and_the_action_ends_it(coverage):
    client, _editor = editor_client()
    page = client.get(reverse("admin:articles_livearticle_change", args=[coverage.pk]))
    html = page.content.decode()
    assert f"{reverse('admin:articles_liveupdate_add')}?article={coverage.pk}" in html
    response = client.post(
        reverse("admin:articles_livearticle_changelist"),
        {"action": "end_coverage", "_selected_action": [coverage.pk]},
    )
    assert response.status_code == 302
    coverage.refresh_from_db()
    assert coverage.coverage_ended_at is not None


def test_a_journalist_cannot_write_updates(coverage):
    client = Client()
    client.force_login(factories.make_staff(role="journalist", username="writer"))
    assert client.get(reverse("admin:articles_liveupdate_add")).status_code == 403


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/file"])
def test_an_embed_link_must_be_a_web_address(coverage, link):
    update = LiveUpdate(article=coverage, body="<p>نص</p>", author=coverage.author, embed_url=link)
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "embed_url" in error.value.message_dict
