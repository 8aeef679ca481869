import re
import socket
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.cache import page_cache_state
from articles.models import SiteSettings, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_settings(db):
    # Created on the first page view otherwise, and creating it (rightly) empties the cache.
    SiteSettings.load()


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_anonymous_reader_gets_the_cached_page(client, article):
    first = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "MISS"
    # Change the row behind the cache's back: a cached copy still shows the old title.
    type(article).objects.filter(pk=article.pk).update(title="عنوان لم يصل بعد")
    second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert article.title in second.content.decode()


def test_cached_page_is_served_without_queries(client, article, django_assert_num_queries):
    client.get(reverse("articles:home"))
    with django_assert_num_queries(0):
        response = client.get(reverse("articles:home"))
    assert response["X-Cache"] == "HIT"


def test_cache_headers_fit_a_cdn_for_anonymous_pages(client, article):
    response = client.get(reverse("articles:home"))
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=0" in cache_control
    assert "s-maxage=60" in cache_control
    assert response["ETag"].startswith('W/"')


def test_signed_in_reader_never_gets_or_fills_the_cache(client, article, settings):
    # The full-page cache only: shared fragments are pinned in test_fragments.py.
    settings.FRAGMENT_CACHE_ENABLED = False
    reader = factories.make_user()
    client.force_login(reader)
    response = client.get(article.get_absolute_url())
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    type(article).objects.filter(pk=article.pk).update(title="عنوان جديد")
    assert "عنوان جديد" in client.get(article.get_absolute_url()).content.decode()
    # Nothing a signed-in reader saw was stored for anonymous readers either.
    assert Client().get(article.get_absolute_url())["X-Cache"] == "MISS"


def test_staff_never_gets_a_cached_page(client, article):
    Client().get(article.get_absolute_url())  # an anonymous reader fills the cache
    type(article).objects.filter(pk=article.pk).update(title="تصحيح من المحرر")
    client.force_login(factories.make_author())
    response = client.get(article.get_absolute_url())
    assert "X-Cache" not in response
    assert "تصحيح من المحرر" in response.content.decode()


def test_post_is_never_cached(client, article):
    client.get(reverse("articles:home"))
    response = client.post(reverse("articles:home"))
    assert "X-Cache" not in response


def test_page_fresh_right_after_edit(client, article):
    client.get(article.get_absolute_url())
    article.title = "عنوان مصحح بعد النشر"
    article.save()
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "MISS"
    assert "عنوان مصحح بعد النشر" in response.content.decode()


def test_home_fresh_right_after_publish_and_unpublish(client, section, author):
    home = reverse("articles:home")
    draft = factories.make_article(
        title="خبر ينتظر النشر", status=Status.DRAFT, section=section, author=author
    )
    assert draft.title not in client.get(home).content.decode()
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    assert draft.title in client.get(home).content.decode()
    draft.status = Status.DRAFT
    draft.save()
    assert draft.title not in client.get(home).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_page_fresh_after_delete_and_tag_change(client, article):
    client.get(article.get_absolute_url())
    article.tags.add("حلب")
    assert "حلب" in client.get(article.get_absolute_url()).content.decode()
    listing = article.section.get_absolute_url()
    assert article.title in client.get(listing).content.decode()
    article.delete()
    assert article.title not in client.get(listing).content.decode()


def test_scheduled_article_shortens_the_cache_lifetime(article, section, author):
    factories.make_article(
        section=section, author=author, published_at=timezone.now() + timedelta(seconds=20)
    )
    _generation, ttl = page_cache_state()
    assert 1 <= ttl <= 20


def test_scheduled_article_appears_once_its_time_has_come(client, section, author, monkeypatch):
    due = factories.make_article(
        title="خبر مجدول",
        section=section,
        author=author,
        published_at=timezone.now() + timedelta(seconds=30),
    )
    home = reverse("articles:home")
    assert due.title not in client.get(home).content.decode()
    later = timezone.now() + timedelta(seconds=31)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("articles.cache.time.time", lambda: later.timestamp())
    response = client.get(home)
    assert response["X-Cache"] == "MISS"
    assert due.title in response.content.decode()


def test_repeated_conditional_request_gets_304(client, article):
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""
    article.title = "عنوان بعد التعديل"
    article.save()
    third = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert third.status_code == 200


def test_cached_form_page_gets_a_valid_csrf_token_for_each_reader(settings):
    settings.ROOT_URLCONF = "tests.project.urls_serving"
    first_reader = Client(enforce_csrf_checks=True)
    first = first_reader.get("/form/")
    assert first["X-Cache"] == "MISS"
    assert "private" in first["Cache-Control"]

    second_reader = Client(enforce_csrf_checks=True)
    second = second_reader.get("/form/")
    assert second["X-Cache"] == "HIT"
    assert "private" in second["Cache-Control"]
    token = TOKEN.search(second.content.decode()).group(1)
    assert token != TOKEN.search(first.content.decode()).group(1)
    assert "csrftoken" in second.cookies
    accepted = second_reader.post("/form/", {"text": "مرحبا", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200
    assert accepted.content.decode() == "got مرحبا"
    # CSRF still bites: no token, or another reader's token, is refused.
    assert second_reader.post("/form/", {"text": "x"}).status_code == 403
    foreign = TOKEN.search(first.content.decode()).group(1)
    refused = Client(enforce_csrf_checks=True)
    refused.get("/form/")
    assert refused.post("/form/", {"csrfmiddlewaretoken": foreign}).status_code == 403


def test_form_page_conditional_request_matches_only_the_same_csrf_cookie(settings):
    settings.ROOT_URLCONF = "tests.project.urls_serving"
    reader = Client()
    first = reader.get("/form/")
    assert reader.get("/form/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    stranger = Client()
    assert stranger.get("/form/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_pages_with_messages_are_neither_served_from_nor_stored_in_the_cache(client, article):
    client.get(reverse("articles:home"))
    client.cookies["messages"] = "something"
    response = client.get(reverse("articles:home"))
    assert "X-Cache" not in response


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="Redis is not running on 127.0.0.1:6379")
def test_redis_cache_backend_serves_and_invalidates_pages(settings, article):
    import environ

    config = environ.Env.cache_url_config("redis://127.0.0.1:6379/15")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": config}
    caches["default"].clear()
    try:
        client = Client()
        assert client.get(article.get_absolute_url())["X-Cache"] == "MISS"
        assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"
        article.title = "عنوان محدث عبر ريديس"
        article.save()
        response = client.get(article.get_absolute_url())
        assert response["X-Cache"] == "MISS"
        assert "عنوان محدث عبر ريديس" in response.content.decode()
    finally:
        caches["default"].clear()


def test_new_pending_comment_keeps_the_cache_but_moderation_refreshes_it():
    """Readers posting (or spam floods) must not empty the cache; approvals must."""
    from types import SimpleNamespace

    from django.db.models.signals import post_delete, post_save

    from articles.cache import _on_comment_change

    def generation():
        return page_cache_state()[0]

    before = generation()
    pending = SimpleNamespace(status="pending")
    _on_comment_change(None, pending, created=True, signal=post_save)
    _on_comment_change(None, pending, signal=post_delete)
    assert generation() == before

    _on_comment_change(None, SimpleNamespace(status="approved"), created=False, signal=post_save)
    after_approval = generation()
    assert after_approval != before
    _on_comment_change(None, SimpleNamespace(status="approved"), signal=post_delete)
    assert generation() != after_approval


def test_moderating_a_comment_that_never_was_public_keeps_the_cache(client, article):
    from comments.services import comment_edit_text, comment_set_status

    pending = factories.make_comment(article=article, status="pending", text="رسالة دعائية")
    shown = factories.make_comment(article=article, text="تعليق منشور")
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"

    from comments.models import Comment

    pending = Comment.objects.get(pk=pending.pk)  # as the moderation queue loads it
    comment_edit_text(comment=pending, text="رسالة دعائية معدلة", by=factories.make_moderator())
    comment_set_status(comment=pending, status="rejected")
    assert client.get(url)["X-Cache"] == "HIT"

    comment_set_status(comment=Comment.objects.get(pk=shown.pk), status="rejected")
    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert "تعليق منشور" not in response.content.decode()


def test_cached_pages_vary_on_cookie_so_a_cdn_never_serves_them_to_signed_in_readers(
    client, article
):
    miss = client.get(reverse("articles:home"))
    hit = client.get(reverse("articles:home"))
    assert hit["X-Cache"] == "HIT"
    for response in (miss, hit):
        assert "Cookie" in response["Vary"]


def test_cached_pages_still_served_when_the_database_is_down(client, article, monkeypatch):
    from django.db import connections
    from django.db.utils import OperationalError

    assert client.get(article.get_absolute_url())["X-Cache"] == "MISS"

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"
    assert article.title in response.content.decode()
    # A page that is not cached yet gets the friendly 503 instead.
    assert client.get(article.section.get_absolute_url()).status_code == 503


def test_author_page_and_byline_fresh_after_the_author_changes_their_profile(client, article):
    author = article.author
    client.get(article.get_absolute_url())
    client.get(author.get_absolute_url())
    author.display_name = "سارة الكاتبة الجديدة"
    author.bio = "سيرة محدّثة."
    author.save()
    page = client.get(article.get_absolute_url())
    assert page["X-Cache"] == "MISS"
    assert "سارة الكاتبة الجديدة" in page.content.decode()
    assert "سيرة محدّثة." in client.get(author.get_absolute_url()).content.decode()


def test_sign_ins_and_unchanged_saves_keep_the_cache(client, article, django_assert_num_queries):
    """last_login is saved at every sign-in: that must not empty the cache for everyone."""
    author = article.author
    reader = factories.make_user(username="qari")
    client.get(article.get_absolute_url())
    before = page_cache_state()[0]
    signed_in = Client()
    signed_in.force_login(author)
    signed_in.force_login(reader)
    author.save()  # nothing public changed
    reader.display_name = "قارئ جديد"
    reader.save()  # readers have no public profile
    assert page_cache_state()[0] == before
    assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"
    with django_assert_num_queries(1):  # the update itself, no comparison query
        author.save(update_fields=["last_login"])


def test_new_photo_refreshes_the_author_page(client, article):
    from tests.articles.test_feeds import png_upload

    author = article.author
    url = author.get_absolute_url()
    assert 'class="author-photo"' not in client.get(url).content.decode()
    author.photo = png_upload()
    author.save()
    assert "author-photo" in client.get(url).content.decode()


def test_cached_copy_is_answered_before_sessions_and_auth_run(client, article, monkeypatch):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    calls = []
    for middleware in (SessionMiddleware, AuthenticationMiddleware):
        original = middleware.process_request
        monkeypatch.setattr(
            middleware,
            "process_request",
            lambda self, request, original=original: (
                calls.append(type(self).__name__) or original(self, request)
            ),
        )
    assert client.get(article.get_absolute_url())["X-Cache"] == "MISS"
    assert calls == ["SessionMiddleware", "AuthenticationMiddleware"]
    assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"
    assert calls == ["SessionMiddleware", "AuthenticationMiddleware"]  # neither ran again


def test_cached_copy_sets_the_csrf_cookie_exactly_as_a_rendered_page_does(article):
    miss = Client().get(article.get_absolute_url())
    hit = Client().get(article.get_absolute_url())
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    rendered, cached = miss.cookies["csrftoken"], hit.cookies["csrftoken"]
    for attribute in ("path", "domain", "max-age", "secure", "httponly", "samesite"):
        assert cached[attribute] == rendered[attribute], attribute
    assert cached.value != rendered.value  # each new reader gets their own secret
    assert "Cookie" in hit["Vary"]
