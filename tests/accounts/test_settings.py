import os
import subprocess
import sys

from django.conf import settings


def test_session_and_csrf_cookies_are_httponly_everywhere():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY


def test_production_cookies_are_secure():
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "levant24.example",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True"]
