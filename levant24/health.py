"""Health checks, as JSON with one status per check (plain ASCII words, no translation).

``/healthz`` is for load balancers, which ask every few seconds: it runs one ``SELECT 1`` on
the primary (503 when it does not answer) and reports the task broker as this process last
saw it, without contacting it. A broker outage does not make it fail: requests still succeed
and their tasks wait in the outbox, so taking every app server out of rotation would turn a
queue outage into a site outage::

    {"status": "ok", "checks": {"database": {"status": "up"}, "broker": {"status": "up"}}}

``/healthz/ready`` is for monitoring and deploy scripts. It also asks, each within a second
or two: the replica (its lag; ``lagging`` or ``down`` means reads are served by the
primary), the shared cache (Redis: sessions, rate limits), the broker (a real connection),
the outbox (tasks waiting) and the media storage (the S3 bucket, or the media folder). It
answers 503 only when the primary database is down; anything else that fails shows as
``"status": "degraded"`` with the failing check named, because the site still serves.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import outbox
from core.models import OutboxMessage

from . import db_router

logger = logging.getLogger(__name__)

# Check statuses that make /healthz/ready "degraded".
FAILING = {"down", "lagging", "backlog"}


def _timed(check) -> dict:
    started = time.perf_counter()
    result = check()
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check failed: database unavailable error=%s", exc)
        return {"status": "down"}
    return {"status": "up"}


def check_replica() -> dict:
    if not db_router.replica_configured():
        return {"status": "absent"}
    lag = db_router.measure_replica_lag()
    if lag is None:
        return {"status": "down"}
    status = "up" if lag <= settings.DATABASE_REPLICA_MAX_LAG else "lagging"
    return {"status": status, "lag_seconds": round(lag, 3)}


def check_cache() -> dict:
    cache = caches["default"]
    if isinstance(cache, LocMemCache | DummyCache):
        return {"status": "local"}  # a per-process cache: nothing shared to reach
    if not isinstance(cache, RedisCache):
        return {"status": "unknown"}
    import redis

    # Its own connection with short timeouts to the first (write) server: the cache's own
    # connection may wait much longer.
    location = settings.CACHES["default"]["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else re.split("[;,]", location)[0]
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        logger.warning("health check: cache unavailable error=%s", exc)
        return {"status": "down"}
    finally:
        client.close()
    return {"status": "up"}


def check_broker() -> dict:
    if outbox.broker_state() == "eager":
        return {"status": "eager"}
    return {"status": "up" if outbox.broker_ping(timeout=1.0) else "down"}


def check_outbox() -> dict:
    waiting = OutboxMessage.objects.using("default").count()
    return {"status": "backlog" if waiting else "ok", "waiting": waiting}


def check_storage() -> dict:
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        location = storage.location
        usable = os.path.isdir(location) and os.access(location, os.W_OK)
        return {"status": "up" if usable else "down", "kind": "local"}
    bucket = getattr(storage, "bucket_name", None)
    if bucket is None:
        return {"status": "unknown", "kind": "other"}
    try:
        _s3_probe_client(storage).head_bucket(Bucket=bucket)
    except Exception as exc:  # botocore raises many kinds; all mean "cannot use it now"
        logger.warning("health check: media storage unavailable error=%s", exc)
        return {"status": "down", "kind": "s3"}
    return {"status": "up", "kind": "s3"}


@functools.lru_cache(maxsize=4)
def _s3_probe_client(storage):
    """A client with the storage's endpoint and keys but short timeouts and no retries."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "s3",
        endpoint_url=storage.endpoint_url,
        region_name=storage.region_name,
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
        config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}),
    )


@never_cache
@require_safe
def healthz(request):
    checks = {"database": check_database(), "broker": {"status": outbox.broker_state()}}
    if checks["database"]["status"] == "down":
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})


@never_cache
@require_safe
def healthz_ready(request):
    checks = {"database": _timed(check_database)}
    if checks["database"]["status"] == "down":
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    checks.update(
        replica=_timed(check_replica),
        cache=_timed(check_cache),
        broker=_timed(check_broker),
        outbox=_timed(check_outbox),
        storage=_timed(check_storage),
    )
    failing = sorted(name for name, check in checks.items() if check["status"] in FAILING)
    body = {"status": "degraded" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body)
