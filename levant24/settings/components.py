"""Settings built from the environment by small functions, so tests can call them."""

from __future__ import annotations

import environ

# django-storages' S3 backend with our object headers (levant24/storage.py).
S3_BACKEND = "levant24.storage.MediaStorage"


def replica_database(env: environ.Env) -> dict | None:
    """``DATABASES['replica']`` from ``DATABASE_REPLICA_URL``, or None when unset."""
    url = env.str("DATABASE_REPLICA_URL", default="")
    if not url:
        return None
    config = env.db_url_config(url)
    config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    if config.get("ENGINE") == "django.db.backends.postgresql":
        # A replica that does not answer is skipped quickly (levant24/db_router.py).
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2)
        )
    # Tests use one database: the replica alias mirrors the default one.
    config["TEST"] = {"MIRROR": "default"}
    return config


def storages_from_env(env: environ.Env) -> dict:
    """``STORAGES``: media on the local disk by default, on S3-compatible storage when
    ``MEDIA_STORAGE=s3`` (bucket, endpoint and keys from the environment)."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    kind = env.str("MEDIA_STORAGE", default="local").lower()
    if kind == "s3":
        options = {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            # Public article images: plain URLs a CDN can cache, no signed query strings.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        }
        storages["default"] = {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {k: v for k, v in options.items() if v is not None},
        }
    elif kind != "local":
        raise environ.ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
    return storages


# Caches that each process keeps for itself (or that keep nothing).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def per_process_cache_problem(*, caches: dict, workers: int, allowed: bool) -> str | None:
    """Why serving with ``workers`` processes and these ``caches`` is refused, or None.

    Rate limits, flood rules and sign-in pacing count in the default cache: a per-process
    cache gives each worker its own counts, so N workers would allow N times every limit.
    """
    backend = caches.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES or workers <= 1 or allowed:
        return None
    return (
        f"CACHE_URL must name a shared cache (redis://...) to run {workers} workers: rate "
        "limits kept in each process would be multiplied by the number of workers. Run one "
        "worker (GUNICORN_WORKERS=1), or set ALLOW_PER_PROCESS_CACHE=True for a test server "
        "on one machine."
    )
