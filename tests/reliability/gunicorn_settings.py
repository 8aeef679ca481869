"""Settings for the real gunicorn server that tests/reliability/test_concurrency.py starts:
the test settings, with the shared Redis cache every worker counts limits in."""

import os

from levant24.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "levant24.cache_backends.TolerantRedisCache",
        "LOCATION": os.environ["CACHE_URL"],
        "KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"],
    }
}

# Mail as files, so the test can count what every worker sent.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
