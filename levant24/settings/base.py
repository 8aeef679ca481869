"""Settings shared by every environment.

Every value that differs between machines is read from the environment through
django-environ; `.env.example` lists them all.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .components import replica_database, storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    TIME_ZONE=(str, "Asia/Damascus"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    # Newsroom admin: Django's admin branded with the site name (levant24/admin_site.py).
    "levant24.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "edge",
    "taggit",
    "reversion",
    "axes",
    # Two-factor sign-in for staff: authenticator apps and recovery codes (accounts/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_prose_editor",
    "core",
    "accounts",
    "articles",
    "comments",
    "push",
    "redirects",
    "wordpress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "levant24.middleware.SecurityHeadersMiddleware",
    # A NUL in the path or the query string is answered 404/400 before anything reads it.
    "levant24.input_guard.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304s, for pages the edge and browsers revalidate (outside the next one,
    # so that private pages, marked no-store, are not hashed).
    "django.middleware.http.ConditionalGetMiddleware",
    # Cache-Control and purge keys of every response (edge/middleware.py).
    "edge.middleware.EdgeHeadersMiddleware",
    "levant24.middleware.DatabaseUnavailableMiddleware",
    # Writes, the admin and recent writers read from the primary (levant24/db_router.py).
    "levant24.db_router.PrimaryPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site has one language (LANGUAGE_CODE), and that middleware
    # would make every page vary on Accept-Language, one copy per browser setting at the edge.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): this session was confirmed with a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees a "not found" first: an old address in the redirects table answers 301.
    "redirects.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "levant24.urls"
WSGI_APPLICATION = "levant24.wsgi.application"

TEMPLATES = [
    # The reading site: templates/**/*.jinja (levant24/jinja2.py says why).
    {
        "BACKEND": "levant24.jinja2.Backend",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "levant24.jinja2.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site_chrome",
            ],
        },
    },
    # The admin, e-mails and the standalone error pages: Django's template language.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Reconnect by itself after the database restarts, without restarting the app.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

# Serving: optional read replica (DATABASE_REPLICA_URL) behind a router.
_replica = replica_database(env)
if _replica:
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["levant24.db_router.ReplicaRouter"]
# Read-your-writes: after a write a browser reads from the primary for this many seconds
# (a signed cookie set on the response to the write).
DATABASE_PIN_SECONDS = env.int("DATABASE_PIN_SECONDS", default=5)
DATABASE_PIN_COOKIE = "l24_primary"
# A replica further behind than this (seconds), or unreachable, is skipped: reads go to the
# primary. Its lag is measured at most once per DATABASE_REPLICA_LAG_CHECK_SECONDS per process.
DATABASE_REPLICA_MAX_LAG = env.float("DATABASE_REPLICA_MAX_LAG", default=10.0)
DATABASE_REPLICA_LAG_CHECK_SECONDS = env.float("DATABASE_REPLICA_LAG_CHECK_SECONDS", default=1.0)
# A replica that could not be reached is tried again after this many seconds (per process).
DATABASE_REPLICA_RETRY_SECONDS = env.float("DATABASE_REPLICA_RETRY_SECONDS", default=5.0)
# Apps always read from the primary: sessions, accounts, sign-in lockouts, second factors.
DATABASE_PRIMARY_APPS = ["sessions", "auth", "admin", "accounts", "axes", "otp_totp", "otp_static"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrUsernameBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Same rule as Django's, with an Arabic error message (see the class).
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://levant24")}
# gunicorn refuses to start several workers on a per-process cache (gunicorn.conf.py): their
# rate limits would multiply. True only for a test server on one machine with limits off.
ALLOW_PER_PROCESS_CACHE = env.bool("ALLOW_PER_PROCESS_CACHE", default=False)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Pages keep working (uncached) while Redis is down; see levant24/cache_backends.py.
    CACHES["default"]["BACKEND"] = "levant24.cache_backends.TolerantRedisCache"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Levant24 <no-reply@levant24.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic"))]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Western digits, day first: 13/02/2025.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
FORMAT_MODULE_PATH = ["levant24.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Tags split on Arabic as well as Latin commas and semicolons (articles/tagging.py).
TAGGIT_TAGS_FROM_STRING = "articles.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.edit_string_for_tags"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Development only: Django itself answers /media/ (`make serve` turns it on for a local try-out;
# in production nginx or the object storage serves uploads, see docs/deploy.md).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)

# Media on the local disk, or on S3-compatible object storage with MEDIA_STORAGE=s3.
STORAGES = storages_from_env(env)
# Cache-Control of media objects on S3: names never change their content (random names,
# renditions derived from them), so a year. The CSP img-src allows the storage's origin.
MEDIA_CACHE_CONTROL = env.str("MEDIA_CACHE_CONTROL", default="public, max-age=31536000, immutable")

# Uploads: anything larger is refused before it reaches Pillow.
MAX_IMAGE_UPLOAD_BYTES = env.int("MAX_IMAGE_UPLOAD_BYTES", default=10 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_ENGINE = "levant24.sessions"  # database sessions, created in one query
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# An Arabic page, for the admin too, instead of Django's English one.
CSRF_FAILURE_VIEW = "articles.errors.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Sign-in lockout (django-axes): one address out of one account, never the account for
# everyone (strangers guessing from elsewhere must not lock the owner out); the pacing in
# accounts/services.py slows guessing per account, per address and per pair before that.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"

# Accounts: one lockout count per account whether typed as email or username, an Arabic
# lockout page, growing waits between failures before the lockout, expiring links.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
SIGNIN_SLOWDOWN_SECONDS = env.float("SIGNIN_SLOWDOWN_SECONDS", default=1.0)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # reset links work for two hours, once
EMAIL_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3  # confirmation links work for three days

# Two-factor sign-in (accounts/two_factor.py). Staff in these roles must sign in to the
# admin with a code from an authenticator app: any of "superuser", "editor", "journalist",
# "moderator", or "staff" for every staff account. Empty: nobody is required (anyone may still
# enrol). Production settings require it of superusers and editors unless this is set.
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=[])


def OTP_TOTP_ISSUER(device):  # noqa: N802 - django-otp reads a setting, here a callable
    """The authenticator app lists the account under the site's name."""
    from levant24.admin_site import totp_issuer

    return totp_issuer(device)


# Wrong codes are slowed down and locked out by the sign-in rules above (accounts.views),
# not by a second, per-device rule of django-otp.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Task queue (Celery; see levant24/celery.py and docs/deploy.md). With no broker URL the
# tasks run in-process right after the commit ("eager"): `make run` and the tests need no
# broker. amqp://guest:guest@127.0.0.1:5672// (RabbitMQ) or redis://127.0.0.1:6379/2.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="levant24")
# Nobody waits for a task's result.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has run, so a worker that dies does not lose it (the tasks
# are idempotent; running one twice is harmless).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A request that publishes waits at most this long for a broker that does not answer; then
# the task waits in the outbox (core/outbox.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Run by `celery beat` (one per deployment; docs/deploy.md).
CELERY_BEAT_SCHEDULE = {
    "drain-outbox": {"task": "core.tasks.drain_outbox", "schedule": 60.0},
    "moderator-digest": {"task": "comments.tasks.moderator_digest", "schedule": 60.0},
    # Scheduled articles marked "notify" are pushed when their time comes (push/tasks.py).
    "push-due-articles": {"task": "push.tasks.notify_due_articles", "schedule": 60.0},
}
# Seconds a process stops trying the broker after a failed publish.
OUTBOX_BROKER_RETRY_SECONDS = env.int("OUTBOX_BROKER_RETRY_SECONDS", default=30)

# Web push (push/). Off unless both keys are set; `manage.py vapid_keys` makes a pair.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
# Who push services may contact about our pushes: a mailto: or https: URL.
VAPID_SUBJECT = env("VAPID_SUBJECT", default=SITE_URL)
# Subscriptions are accepted only for these push services (and their subdomains), so the
# server never posts to an address a visitor made up.
PUSH_SERVICE_HOSTS = env.list(
    "PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "push.services.mozilla.com",
        "notify.windows.com",
        "push.apple.com",
    ],
)
# Plain-http push addresses (the tests' local receiver only).
PUSH_ALLOW_HTTP = False
PUSH_BATCH_SIZE = env.int("PUSH_BATCH_SIZE", default=100)
# How long a push service keeps a notification for a browser that is offline.
PUSH_TTL_SECONDS = env.int("PUSH_TTL_SECONDS", default=4 * 3600)
PUSH_TIMEOUT_SECONDS = 10
# Failures in a row (other than "gone") after which a subscription is removed.
PUSH_MAX_FAILURES = 10
# An article marked "notify" is pushed only if it became public less than this long ago.
PUSH_ARTICLE_MAX_AGE = 6 * 3600
# New subscriptions from one client address.
PUSH_SUBSCRIBE_RATE = env.str("PUSH_SUBSCRIBE_RATE", default="20/h")

# Comments: seconds between two comments from one IP address (0 turns the rule off).
COMMENTS_FLOOD_SECONDS = env.int("COMMENTS_FLOOD_SECONDS", default=15)

# Serving: public pages are the same bytes for every reader, kept by an edge cache
# (Varnish, a CDN) and purged by key when what they show changes (edge/, articles/edge.py,
# comments/edge.py). How long the edge may keep a page (less when a scheduled article is due):
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# How long a browser keeps it before asking the edge again (a cheap 304).
EDGE_BROWSER_SECONDS = env.int("EDGE_BROWSER_SECONDS", default=30)
# The edge may answer with a page this much past its lifetime while it fetches a fresh one,
# or for this long when the app servers fail.
EDGE_STALE_WHILE_REVALIDATE = env.int("EDGE_STALE_WHILE_REVALIDATE", default=30)
EDGE_STALE_IF_ERROR = env.int("EDGE_STALE_IF_ERROR", default=86400)
# How often an open live coverage page asks for new updates (less often in a hidden tab).
LIVE_POLL_SECONDS = 15
# How purges reach the edge: none (no edge), varnish (xkey) or url (a CDN's purge API).
EDGE_PURGE_BACKEND = env.str("EDGE_PURGE_BACKEND", default="none")
EDGE_PURGE_URLS = env.list("EDGE_PURGE_URLS", default=[])
EDGE_PURGE_TOKEN = env.str("EDGE_PURGE_TOKEN", default="")
ADMIN_URL_PREFIX = "/admin/"
# Extra image origins for the Content-Security-Policy (a CDN host); the origin of media on
# S3-compatible storage is added by itself (levant24/storage.py).
CSP_IMG_SOURCES = env.list("CSP_IMG_SOURCES", default=[])
DATABASE_DOWN_RETRY_AFTER = 30
# X-Query-Count response header (the benchmark turns it on).
QUERY_COUNT_HEADER = env.bool("QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(1, "levant24.middleware.QueryCountHeaderMiddleware")

# Logs: one JSON object per line on stdout (tracebacks inside), for any log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "levant24.logformat.JsonLineFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
    },
}
AXES_VERBOSE = False
# Reverse proxies in front of gunicorn (nginx alone: 1). With 0 the client's address is
# REMOTE_ADDR; otherwise it is read from X-Forwarded-For (see levant24/client_ip.py).
# Comments, sign-up and sign-in throttles and the lockout all use that one address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "levant24.client_ip.client_ip"
# The lockout records are not part of the newsroom admin: lockouts expire by themselves
# (AXES_COOLOFF_TIME) and `manage.py axes_reset` lifts one early.
AXES_ENABLE_ADMIN = False
