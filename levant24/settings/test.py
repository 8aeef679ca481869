from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process after each commit; the integration tests point Celery at RabbitMQ.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# No collectstatic before the tests: whitenoise finds files through the finders on each
# request instead of listing STATIC_ROOT (which does not exist) at start.
WHITENOISE_AUTOREFRESH = True
# The push tests deliver to a receiver on this machine (push is off unless a test sets keys).
PUSH_ALLOW_HTTP = True
PUSH_SERVICE_HOSTS = [*PUSH_SERVICE_HOSTS, "127.0.0.1"]  # noqa: F405
