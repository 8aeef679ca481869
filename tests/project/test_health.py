import pytest
from django.db import connections
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "broker": "eager"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
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
