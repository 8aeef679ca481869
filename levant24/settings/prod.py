"""Production: no fallback for secrets; a missing one stops the server at start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"The environment variable {_name} is required in production.")

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Persistent database connections: each gunicorn worker keeps its own for its whole life
# (health checks replace a broken one). A new connection costs the request that opens it
# tens of milliseconds (a PostgreSQL backend starting cold); CONN_MAX_AGE (seconds, 0 for
# one connection per request) overrides it.
if "CONN_MAX_AGE" not in os.environ:
    DATABASES = {  # new dicts, as for STORAGES below
        alias: {**config, "CONN_MAX_AGE": None}
        for alias, config in DATABASES.items()  # noqa: F405
    }

# A new dict: changing base's in place would change it for every module that imported it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the app servers over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make serve` on plain http://127.0.0.1 turns these off (SECURE_COOKIES=False).
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sessions in the database by default (levant24/sessions.py); "django.contrib.sessions.
# backends.cache" (with CACHE_URL=redis://...) keeps them in Redis when several app
# servers share the load.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="levant24.sessions")

# Staff accounts are a target: superusers and editors sign in to the admin with a second
# factor unless TWO_FACTOR_REQUIRED_ROLES says otherwise (see base.py).
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["superuser", "editor"])
