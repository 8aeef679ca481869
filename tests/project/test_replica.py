"""Read-your-writes against a real streaming replica of the test database (PostgreSQL only).

Replication lag is made on purpose by pausing WAL replay on the replica
(``pg_wal_replay_pause()``): rows committed on the primary then exist only there.
"""

import contextlib

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles.models import Article
from levant24 import db_router
from tests import factories
from tests.replica import REPLICA_PORT, start_replica, wait_for

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module")
def pg_replica(django_db_setup, django_db_blocker):
    primary = connections["default"].settings_dict
    replica = start_replica(primary)
    config = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": str(REPLICA_PORT),
        "OPTIONS": {**primary.get("OPTIONS", {}), "connect_timeout": 2},
        "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
    }
    connections.settings["replica"] = config
    db_router.forget_replica_lag()
    yield replica
    with contextlib.suppress(Exception):
        connections["replica"].close()
    with contextlib.suppress(AttributeError):
        del connections["replica"]
    del connections.settings["replica"]
    db_router.forget_replica_lag()
    replica.remove()


@pytest.fixture
def replica(pg_replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 60
    settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 0  # measured on every read in these tests
    db_router.forget_replica_lag()
    yield pg_replica
    with contextlib.suppress(Exception):
        on_replica("SELECT pg_wal_replay_resume()")
    db_router.forget_replica_lag()


def make_article():
    # The factory reads back what it wrote: outside a request, say where reads go.
    with db_router.primary_reads():
        return factories.make_article()


def make_user():
    with db_router.primary_reads():
        return factories.make_user()


def on_replica(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def on_replica_exists(model, pk) -> bool:
    return model.objects.using("replica").filter(pk=pk).exists()


@contextlib.contextmanager
def replay_paused():
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        on_replica("SELECT pg_wal_replay_resume()")


def test_the_replica_streams_the_primary_and_its_lag_is_measured(replica):
    assert on_replica("SELECT pg_is_in_recovery()") is True
    article = make_article()
    assert wait_for(lambda: on_replica_exists(Article, article.pk))
    lag = db_router.measure_replica_lag()
    assert lag is not None and lag < 5
    check = Client().get("/healthz/ready").json()["checks"]["replica"]
    assert check["status"] == "up" and check["lag_seconds"] < 5


def test_under_lag_a_writer_reads_its_writes_and_others_read_the_replica(replica, settings, clock):
    settings.DATABASE_PIN_SECONDS = 5
    with replay_paused():
        article = make_article()
        url = article.get_absolute_url()
        # A reader who wrote nothing is served from the replica, which lacks the article.
        assert Client().get(url).status_code == 404

        writer = Client()
        response = writer.post(reverse("accounts:login"), {"username": "x", "password": "y"})
        assert settings.DATABASE_PIN_COOKIE in response.cookies
        assert writer.get(url).status_code == 200  # pinned to the primary

        clock.advance(6)  # the pin has expired: back to the replica
        assert writer.get(url).status_code == 404
    assert wait_for(lambda: Client().get(url).status_code == 200)


def test_under_lag_a_reader_who_just_signed_in_stays_signed_in(replica, settings):
    user = make_user()
    with replay_paused():
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "pass-1234-word"}
        )
        assert response.status_code == 302
        # Without the pin cookie: the session itself must still be read from the primary.
        del client.cookies[settings.DATABASE_PIN_COOKIE]
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_replica_lagging_more_than_the_limit_is_skipped(replica, settings):
    with replay_paused():
        article = make_article()
        url = article.get_absolute_url()
        wait_for(lambda: on_replica("SELECT pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()"))
        wait_for(lambda: db_router.measure_replica_lag() > 0.5)
        settings.DATABASE_REPLICA_MAX_LAG = 60
        assert Client().get(url).status_code == 404  # within the limit: the replica
        settings.DATABASE_REPLICA_MAX_LAG = 0.5
        assert Client().get(url).status_code == 200  # past it: the primary
        ready = Client().get("/healthz/ready").json()
        assert ready["checks"]["replica"]["status"] == "lagging"
        assert ready["checks"]["replica"]["lag_seconds"] > 0.5
        assert ready["status"] == "degraded" and ready["failing"] == ["replica"]


def test_a_stopped_replica_is_skipped_and_reads_fall_back_to_the_primary(replica):
    article = make_article()
    assert wait_for(lambda: on_replica_exists(Article, article.pk))
    replica.stop()
    try:
        assert db_router.measure_replica_lag() is None
        assert Client().get(article.get_absolute_url()).status_code == 200
        assert Client().get(reverse("articles:home")).status_code == 200
        ready = Client().get("/healthz/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"]["replica"] == {
            "status": "down",
            "ms": ready.json()["checks"]["replica"]["ms"],
        }
    finally:
        replica.start()
    db_router.forget_replica_lag()
    assert wait_for(lambda: db_router.measure_replica_lag() is not None)
