"""Settings built from the environment by small functions, so tests can call them."""

from __future__ import annotations

import environ

S3_BACKEND = "storages.backends.s3.S3Storage"


def replica_database(env: environ.Env) -> dict | None:
    """``DATABASES['replica']`` from ``DATABASE_REPLICA_URL``, or None when unset."""
    url = env.str("DATABASE_REPLICA_URL", default="")
    if not url:
        return None
    config = env.db_url_config(url)
    config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
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
