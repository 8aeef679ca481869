"""The workflow services: transitions, who published, and rights checked inside."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(db):
    return factories.make_staff(role="journalist")


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor")


def test_full_path_draft_review_published_records_who_and_when(journalist, editor):
    article = factories.make_article(author=journalist, status=Status.DRAFT, published_at=None)
    services.article_submit_for_review(article=article, by=journalist)
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_by == editor
    assert article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publish_in_the_future_is_scheduled_not_public(editor):
    article = factories.make_article(status=Status.REVIEW, published_at=None)
    at = timezone.now() + timedelta(hours=3)
    services.article_publish(article=article, by=editor, at=at)
    article.refresh_from_db()
    assert article.published_at == at
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_journalist_cannot_publish_unpublish_or_send_back(journalist):
    article = factories.make_article(author=journalist, status=Status.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=journalist)
    published = factories.make_article(author=journalist)
    with pytest.raises(PermissionDenied):
        services.article_unpublish(article=published, by=journalist)
    with pytest.raises(PermissionDenied):
        services.article_send_back(article=article, by=journalist, note="لا")
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert Article.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_journalist_cannot_submit_someone_elses_draft(journalist):
    article = factories.make_article(status=Status.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_submit_for_review(article=article, by=journalist)


def test_send_back_needs_a_note_and_keeps_it(editor):
    article = factories.make_article(status=Status.REVIEW, published_at=None)
    with pytest.raises(ValidationError):
        services.article_send_back(article=article, by=editor, note="  ")
    services.article_send_back(article=article, by=editor, note="أضف رأي الطرف الآخر")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.review_note == "أضف رأي الطرف الآخر"


def test_unpublish_clears_publish_record(editor):
    article = factories.make_article()
    services.article_unpublish(article=article, by=editor)
    article.refresh_from_db()
    assert (article.status, article.published_at, article.published_by) == (
        Status.DRAFT,
        None,
        None,
    )


def test_each_transition_keeps_a_revision_with_its_author(journalist, editor):
    article = factories.make_article(author=journalist, status=Status.DRAFT, published_at=None)
    services.article_submit_for_review(article=article, by=journalist)
    services.article_publish(article=article, by=editor)
    versions = Version.objects.get_for_object(article).select_related("revision")
    assert [v.revision.user for v in versions] == [editor, journalist]
    assert versions[0].field_dict["status"] == Status.PUBLISHED


def test_publishing_a_live_article_again_keeps_its_date(editor):
    article = factories.make_article()
    published_at = article.published_at
    with pytest.raises(ValidationError):
        services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.published_at == published_at


def test_a_scheduled_article_can_be_published_now(editor):
    article = factories.make_article(published_at=timezone.now() + timedelta(days=1))
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.is_public
