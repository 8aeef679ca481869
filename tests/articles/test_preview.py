"""Staff preview of unpublished articles in the public template; 404 for everyone else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("articles:preview", args=[article.pk])


@pytest.fixture
def draft(db):
    return factories.make_article(status=Status.DRAFT, title="مسودة لم تُنشر بعد", tags=["سري"])


def test_editor_previews_a_draft_in_the_public_template_marked_noindex(client, draft):
    client.force_login(factories.make_staff(role="editor"))
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "مسودة لم تُنشر بعد" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'class="preview-banner"' in html
    assert "لا يرى هذه الصفحة إلا فريق التحرير" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert [t.name for t in response.context["tags"]] == ["سري"]


def test_editor_previews_a_scheduled_article(client):
    scheduled = factories.make_article(published_at=timezone.now() + timedelta(days=1))
    client.force_login(factories.make_staff(role="editor"))
    assert client.get(preview_url(scheduled)).status_code == 200


def test_public_gets_404_for_preview_and_detail(client, draft):
    assert client.get(preview_url(draft)).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_signed_in_reader_gets_404(client, draft):
    client.force_login(factories.make_user())
    assert client.get(preview_url(draft)).status_code == 404


def test_journalist_previews_own_draft_only(client, draft):
    journalist = factories.make_staff(role="journalist")
    own = factories.make_article(status=Status.DRAFT, author=journalist)
    client.force_login(journalist)
    assert client.get(preview_url(own)).status_code == 200
    assert client.get(preview_url(draft)).status_code == 404


def test_moderator_gets_404(client, draft):
    client.force_login(factories.make_staff(role="moderator"))
    assert client.get(preview_url(draft)).status_code == 404


def test_preview_has_no_canonical_link(client, draft):
    client.force_login(factories.make_staff(role="editor"))
    html = client.get(preview_url(draft)).content.decode()
    assert 'rel="canonical"' not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_preview_of_a_draft_shows_no_comments_and_no_form_posting_to_it(client, draft):
    # Rows that should never exist for a draft, to prove none of them would leak.
    factories.make_comment(article=draft, text="تعليق على مسودة")
    client.force_login(factories.make_staff(role="editor"))
    html = client.get(preview_url(draft)).content.decode()
    assert "تعليق على مسودة" not in html
    assert 'id="comments"' in html
    assert "يمكن للقراء التعليق بعد نشر المقال" in html
    assert reverse("comments:post", args=[draft.pk]) not in html
    assert 'name="email"' not in html


def test_preview_of_a_published_article_shows_its_approved_comments(client):
    article = factories.make_article(title="مقال منشور")
    factories.make_comment(article=article, text="تعليق موافق عليه")
    factories.make_comment(article=article, text="تعليق ينتظر", status="pending")
    client.force_login(factories.make_staff(role="editor"))
    html = client.get(preview_url(article)).content.decode()
    assert "تعليق موافق عليه" in html
    assert "تعليق ينتظر" not in html
    assert 'rel="canonical"' not in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.DRAFT, "published_at": None},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_preview_says_not_published_and_has_no_share_buttons(client, fields):
    article = factories.make_article(title="مقال ينتظر النشر", **fields)
    client.force_login(factories.make_staff(role="editor"))
    html = client.get(preview_url(article)).content.decode()
    assert "لم يُنشر بعد" in html
    assert "تتاح المشاركة بعد نشر المقال" in html
    assert "تم النشر" not in html
    assert 'class="share-links"' not in html
    assert "data-share" not in html
    assert "data-copy-link" not in html
    assert "facebook.com/sharer" not in html and "twitter.com" not in html


def test_published_preview_keeps_the_date_and_real_share_links(client):
    article = factories.make_article(title="مقال منشور")
    client.force_login(factories.make_staff(role="editor"))
    html = client.get(preview_url(article)).content.decode()
    assert "تم النشر" in html
    assert "لم يُنشر بعد" not in html
    url = "http://testserver" + article.get_absolute_url()
    assert f'data-copy-link="{url}"' in html
    assert f'data-url="{url}"' in html
