"""What readers get when Redis or the database fails (the services themselves are stopped
by `make fault-test`; these tests show the same paths without stopping anything)."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from comments.models import Comment

from .conftest import next_ip

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every Redis call is refused at once.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "levant24.cache_backends.TolerantRedisCache",
            "LOCATION": UNREACHABLE,
        }
    }


def comment_data(text="تعليق يجب ألا يضيع مهما حدث"):
    return {
        "text": text,
        "name": "قارئة",
        "email": "reader@example.org",
        "website": "",
        "homepage": "",
    }


def test_a_redis_cache_url_selects_the_tolerant_backend():
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/3"}
    env["DJANGO_SETTINGS_MODULE"] = "levant24.settings.base"
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.CACHES)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "levant24.cache_backends.TolerantRedisCache" in out.stdout


def test_pages_are_served_uncached_while_redis_is_unreachable(client, article, redis_down):
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert article.title in response.content.decode()
    assert client.get(reverse("articles:home")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


def test_comments_and_sign_in_work_while_redis_is_unreachable(
    client, article, redis_down, settings
):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_data(), REMOTE_ADDR=next_ip()
    )
    assert response.status_code == 302
    assert Comment.objects.filter(text="تعليق يجب ألا يضيع مهما حدث").count() == 1
    response = client.post(
        reverse("accounts:login"), {"username": "nobody", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_without_the_tolerant_backend_an_unreachable_redis_breaks_pages(client, article, settings):
    """The control for the tests above: Django's own backend raises."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE,
        }
    }
    with pytest.raises(RedisConnectionError):
        client.get(article.get_absolute_url())


def test_tolerant_backend_reads_misses_and_drops_writes(redis_down):
    from django.core.cache import cache

    cache.set("k", 1)
    assert cache.get("k", "missing") == "missing"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", 1) is True
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.get_or_set("k", 5) == 5


def assert_comment_kept(response, text):
    assert response.status_code == 503
    assert response["Retry-After"]
    content = response.content.decode()
    assert "لم يُحفظ تعليقك" in content
    assert text in content  # in the form, ready to send again
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Traceback" not in content
    assert not Comment.objects.filter(text=text).exists()


def test_comment_posted_while_the_database_fails_is_refused_with_the_text_kept(client, article):
    text = "رأيي المكتوب بعناية أثناء انقطاع قاعدة البيانات"
    with mock.patch(
        "comments.services.comment_submit", side_effect=OperationalError("server closed")
    ):
        response = client.post(
            reverse("comments:post", args=[article.pk]), comment_data(text), REMOTE_ADDR=next_ip()
        )
    assert_comment_kept(response, text)


def test_comment_posted_when_the_article_cannot_be_read_keeps_the_text(client, article):
    text = "نص لا يجوز أن يضيع <b>حتى مع رموز</b>"
    with mock.patch(
        "comments.views.published_article_or_404",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.post(
            reverse("comments:post", args=[article.pk]), comment_data(text), REMOTE_ADDR=next_ip()
        )
    assert response.status_code == 503
    assert "نص لا يجوز أن يضيع &lt;b&gt;حتى مع رموز&lt;/b&gt;" in response.content.decode()


def test_article_page_while_the_database_fails_is_the_arabic_503(client, article):
    with mock.patch(
        "articles.views.ArticleDetailView.get_object", side_effect=OperationalError("down")
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert "الخدمة غير متاحة مؤقتاً" in response.content.decode()
