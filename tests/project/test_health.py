import os
import re
import socket

import environ
import pytest
from django.db import connections
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "up"}, "broker": {"status": "eager"}},
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "down"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_never_served_from_the_page_cache(client, monkeypatch):
    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(
        connections["default"],
        "cursor",
        lambda *a, **k: (_ for _ in ()).throw(OperationalError("down")),
    )
    assert client.get("/healthz").status_code == 503


def test_healthz_answers_plain_http_probes_under_production_https_redirect(
    client, settings, monkeypatch
):
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.delenv("SECURE_SSL_REDIRECT", raising=False)
    sys.modules.pop("levant24.settings.prod", None)
    prod = importlib.import_module("levant24.settings.prod")
    settings.SECURE_SSL_REDIRECT = prod.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = prod.SECURE_REDIRECT_EXEMPT
    assert settings.SECURE_SSL_REDIRECT is True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


# --- /healthz/ready -------------------------------------------------------------------------

ARABIC = re.compile("[\u0600-\u06ff]")
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/12")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache(url):
    return {"default": {"BACKEND": "levant24.cache_backends.TolerantRedisCache", "LOCATION": url}}


def _ready(client):
    response = client.get("/healthz/ready")
    assert "no-store" in response["Cache-Control"]
    assert not ARABIC.search(response.content.decode()), response.content
    return response


def test_ready_reports_every_check_on_one_machine(client):
    response = _ready(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "replica", "cache", "broker", "outbox", "storage"}
    assert checks["database"]["status"] == "up"
    assert checks["replica"]["status"] == "absent"
    assert checks["cache"]["status"] == "local"
    assert checks["broker"]["status"] == "eager"
    assert checks["outbox"] == {"status": "ok", "waiting": 0, "ms": checks["outbox"]["ms"]}
    assert checks["storage"]["status"] == "up"
    assert all(isinstance(check["ms"], float) for check in checks.values())


def test_healthz_stays_cheap_and_names_no_other_service(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = client.get("/healthz").json()
    assert set(body["checks"]) == {"database", "broker"}
    assert not ARABIC.search(str(body))


def test_ready_answers_503_only_for_the_primary_database(client, monkeypatch):
    monkeypatch.setattr(
        connections["default"],
        "cursor",
        lambda *a, **k: (_ for _ in ()).throw(OperationalError("down")),
    )
    response = _ready(client)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": {"status": "down", "ms": response.json()["checks"]["database"]["ms"]}
        },
    }


def test_ready_reports_the_shared_cache_up_and_down(client, settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI at {REDIS_TEST_URL}")
        pytest.skip(f"notice: no Redis at {REDIS_TEST_URL}; shared cache check skipped")
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    assert _ready(client).json()["checks"]["cache"]["status"] == "up"

    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/12")
    response = _ready(client)
    assert response.status_code == 200  # the site still serves without Redis
    assert response.json()["checks"]["cache"]["status"] == "down"
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["cache"]


def test_ready_reports_the_s3_bucket_up_and_down(client, settings, monkeypatch):
    from levant24.settings.components import storages_from_env
    from tests.s3 import BUCKET, KEYS, REGION, start_s3

    server = start_s3()
    try:
        env = {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": server.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = storages_from_env(environ.Env())
        storage = _ready(client).json()["checks"]["storage"]
        assert (storage["status"], storage["kind"]) == ("up", "s3")

        monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "no-such-bucket")
        settings.STORAGES = storages_from_env(environ.Env())
        assert _ready(client).json()["checks"]["storage"]["status"] == "down"
    finally:
        server.stop()
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    settings.STORAGES = storages_from_env(environ.Env())
    response = _ready(client)  # the server is gone
    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["status"] == "down"
    assert response.json()["failing"] == ["storage"]


def test_ready_reports_a_missing_media_folder(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "gone")
    storage = _ready(client).json()["checks"]["storage"]
    assert (storage["status"], storage["kind"]) == ("down", "local")
