"""Read-your-writes routing rules, without a real replica (tests/project/test_replica.py
runs them against a streaming PostgreSQL replica)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from levant24 import db_router
from levant24.db_router import PrimaryPinMiddleware, ReplicaRouter, primary_reads

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica alias in the settings and a lag that a test sets with ``lag.value``."""
    monkeypatch.setitem(connections.settings, "replica", connections.settings["default"])

    class Lag:
        value = 0.0

    lag = Lag()
    monkeypatch.setattr(db_router, "replica_lag", lambda: lag.value)
    return lag


def test_without_a_replica_every_read_goes_to_the_primary():
    assert "replica" not in connections
    assert router.db_for_read(Article) == "default"


def test_content_reads_go_to_the_replica(with_replica):
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(Comment) == "replica"
    assert router.db_for_write(Article) == "default"


def test_sessions_and_accounts_always_read_from_the_primary(with_replica):
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(get_user_model()) == "default"


def test_inside_primary_reads_everything_reads_from_the_primary(with_replica):
    with primary_reads():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica):
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"


def test_a_lagging_or_unreachable_replica_is_skipped(with_replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 10
    with_replica.value = 9.5
    assert router.db_for_read(Article) == "replica"
    with_replica.value = 10.5
    assert router.db_for_read(Article) == "default"
    with_replica.value = None  # could not connect
    assert router.db_for_read(Article) == "default"


def test_the_lag_is_measured_at_most_once_a_second(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(db_router, "measure_replica_lag", lambda: calls.append(1) or 2.0)
    db_router.forget_replica_lag()
    try:
        settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 1.0
        assert db_router.replica_lag() == 2.0
        assert db_router.replica_lag() == 2.0
        assert len(calls) == 1
        settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 0
        db_router.replica_lag()
        assert len(calls) == 2
    finally:
        db_router.forget_replica_lag()


def test_an_unreachable_replica_is_tried_again_only_after_the_back_off(settings, monkeypatch):
    calls = []
    answers = [None, None, 0.0, 0.0]
    monkeypatch.setattr(db_router, "measure_replica_lag", lambda: calls.append(1) or answers.pop(0))
    now = [1000.0]
    monkeypatch.setattr(db_router.time, "monotonic", lambda: now[0])
    settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 0  # would measure on every read...
    settings.DATABASE_REPLICA_RETRY_SECONDS = 5.0
    db_router.forget_replica_lag()
    try:
        assert db_router.replica_lag() is None
        for _ in range(20):  # ...but a replica that did not answer is left alone a while
            assert db_router.replica_usable() is False
        assert len(calls) == 1
        now[0] += 5.0
        assert db_router.replica_lag() is None
        assert len(calls) == 2
        now[0] += 5.0
        assert db_router.replica_lag() == 0.0  # back: measured as often as before
        assert db_router.replica_lag() == 0.0
        assert len(calls) == 4
    finally:
        db_router.forget_replica_lag()


# --- The middleware and its cookie ------------------------------------------------------------


def _seen_by_view():
    """A middleware whose view answers with the alias an article read would use."""
    return PrimaryPinMiddleware(lambda request: HttpResponse(router.db_for_read(Article)))


def _pin_cookie(response, settings):
    return response.cookies.get(settings.DATABASE_PIN_COOKIE)


def test_a_write_reads_from_the_primary_and_pins_the_browser(with_replica, settings):
    settings.DATABASE_PIN_SECONDS = 5
    response = _seen_by_view()(RequestFactory().post("/comments/post/"))
    assert response.content == b"default"
    cookie = _pin_cookie(response, settings)
    assert cookie is not None
    assert cookie["max-age"] == 5
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_public_get_reads_from_the_replica_and_sets_no_cookie(with_replica, settings):
    response = _seen_by_view()(RequestFactory().get("/"))
    assert response.content == b"replica"
    assert not response.cookies


def test_a_pinned_browser_reads_from_the_primary_until_the_pin_expires(
    with_replica, settings, clock
):
    settings.DATABASE_PIN_SECONDS = 5
    middleware = _seen_by_view()
    pin = _pin_cookie(middleware(RequestFactory().post("/accounts/login/")), settings)
    request = RequestFactory().get("/")
    request.COOKIES[settings.DATABASE_PIN_COOKIE] = pin.value
    response = middleware(request)
    assert response.content == b"default"
    assert not response.cookies  # a GET never renews or sets it

    clock.advance(6)
    request = RequestFactory().get("/")
    request.COOKIES[settings.DATABASE_PIN_COOKIE] = pin.value
    assert middleware(request).content == b"replica"


def test_a_forged_pin_cookie_is_ignored(with_replica, settings):
    request = RequestFactory().get("/")
    request.COOKIES[settings.DATABASE_PIN_COOKIE] = "1"
    assert _seen_by_view()(request).content == b"replica"


def test_admin_pages_read_from_the_primary(with_replica, settings):
    response = _seen_by_view()(RequestFactory().get(settings.ADMIN_URL_PREFIX + "articles/"))
    assert response.content == b"default"


def test_without_a_replica_no_pin_cookie_is_set(settings):
    response = _seen_by_view()(RequestFactory().post("/comments/post/"))
    assert not response.cookies


@pytest.mark.django_db
def test_public_pages_stay_cookie_free_and_a_sign_in_post_pins(
    with_replica, client, article, settings
):
    with_replica.value = None  # the tests' one database: serve everything from the primary
    for url in (reverse("articles:home"), article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response, url
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert settings.DATABASE_PIN_COOKIE in response.cookies


def test_tasks_read_from_the_primary(with_replica):
    from celery import shared_task

    @shared_task
    def where_articles_are_read():
        return router.db_for_read(Article)

    assert where_articles_are_read.delay().get() == "default"
    assert router.db_for_read(Article) == "replica"
