import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.db import connections, transaction

from articles.models import Article
from levant24.db_router import ReplicaRouter
from levant24.settings.components import replica_database, storages_from_env

ROOT = Path(__file__).resolve().parents[2]


def _env(monkeypatch, **values):
    for name in (
        "MEDIA_STORAGE",
        "DATABASE_REPLICA_URL",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_check_deploy_reports_nothing_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES")
    } | {
        "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
        "SECRET_KEY": "k7#Qz9!vL2@pX8$wR4%tY6^uI1&oP3*aS5(dF0)gH-jK_lZ+xC=vB~nM",
        "ALLOWED_HOSTS": "levant24.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {
        "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
        "ALLOWED_HOSTS": "levant24.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_media_stays_on_local_disk_by_default(monkeypatch):
    storages = storages_from_env(_env(monkeypatch))
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_media_storage_s3_builds_django_storages_config_from_env(monkeypatch):
    env = _env(
        monkeypatch,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="levant24-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret-example",
    )
    default = storages_from_env(env)["default"]
    assert default["BACKEND"] == "levant24.storage.MediaStorage"
    assert default["OPTIONS"]["bucket_name"] == "levant24-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert default["OPTIONS"]["access_key"] == "AKIDEXAMPLE"
    assert default["OPTIONS"]["secret_key"] == "secret-example"
    assert default["OPTIONS"]["querystring_auth"] is False


def test_media_storage_s3_without_bucket_fails_loudly(monkeypatch):
    with pytest.raises(environ.ImproperlyConfigured):
        storages_from_env(_env(monkeypatch, MEDIA_STORAGE="s3"))


def test_replica_database_from_env(monkeypatch):
    assert replica_database(_env(monkeypatch)) is None
    config = replica_database(
        _env(monkeypatch, DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/levant24")
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "replica.internal"
    assert config["TEST"] == {"MIRROR": "default"}


def _with_replica(monkeypatch):
    """A replica alias (the same database) that is never behind."""
    from levant24 import db_router

    monkeypatch.setitem(connections.settings, "replica", connections.settings["default"])
    monkeypatch.setattr(db_router, "replica_lag", lambda: 0.0)


def test_router_reads_from_replica_writes_to_default(monkeypatch):
    router = ReplicaRouter()
    _with_replica(monkeypatch)
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_write(Article) == "default"
    assert router.allow_relation(Article(), Article()) is True
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica", "articles") is False


@pytest.mark.django_db(transaction=True)
def test_router_keeps_reads_on_default_inside_a_transaction(monkeypatch):
    router = ReplicaRouter()
    _with_replica(monkeypatch)
    with transaction.atomic():
        assert connections["default"].in_atomic_block
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


def test_router_reads_from_default_without_replica(settings):
    assert "replica" not in settings.DATABASES
    assert ReplicaRouter().db_for_read(Article) == "default"


@pytest.mark.parametrize(("configured", "expected"), [(None, "None"), ("0", "0")])
def test_production_keeps_each_workers_database_connection_unless_told_otherwise(
    configured, expected
):
    env = {k: v for k, v in os.environ.items() if k != "CONN_MAX_AGE"} | {
        "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
        "SECRET_KEY": "k7#Qz9!vL2@pX8$wR4%tY6^uI1&oP3*aS5(dF0)gH-jK_lZ+xC=vB~nM",
        "ALLOWED_HOSTS": "levant24.example",
        "DATABASE_REPLICA_URL": "postgres://reader@replica.example:5432/levant24",
    }
    if configured is not None:
        env["CONN_MAX_AGE"] = configured
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(*(settings.DATABASES[a]['CONN_MAX_AGE'] for a in ('default', 'replica')), "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, expected, "True"]
