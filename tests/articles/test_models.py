from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status, video_embed_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_rule_hides_drafts_review_and_scheduled():
    public = make_article()
    make_article(status=Status.DRAFT, published_at=None)
    make_article(status=Status.REVIEW, published_at=None)
    make_article(published_at=timezone.now() + timedelta(hours=2))
    assert list(Article.objects.published()) == [public]


def test_scheduled_article_becomes_public_when_its_time_comes():
    article = make_article(published_at=timezone.now() + timedelta(minutes=5))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_slug_keeps_arabic_letters():
    article = make_article(title="إعادة إعمار حلب: الخطة الجديدة")
    assert article.slug == "إعادة-إعمار-حلب-الخطة-الجديدة"


def test_body_is_sanitized_on_plain_orm_save():
    article = make_article(
        body='<p onclick="x()">نص</p><script>alert(1)</script>'
        '<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">رابط</a>'
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onerror" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<p>نص</p>" in article.body


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abc123XYZ_-",
            "https://www.youtube-nocookie.com/embed/abc123XYZ_-",
        ),
        ("https://youtu.be/abc123", "https://www.youtube-nocookie.com/embed/abc123"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://evil.example.com/watch?v=abc", None),
        ("javascript:alert(1)", None),
    ],
)
def test_video_embed_url_only_youtube_and_vimeo(url, embed):
    assert video_embed_url(url) == embed
