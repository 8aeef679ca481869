"""Limits and duplicate rules hold when requests really arrive at the same moment: threads
against the live test server, and several gunicorn worker processes sharing Redis.

The gunicorn tests need PostgreSQL (a database the workers can open) and Redis (database 8,
REDIS_TEST_URL, under a key prefix of their own); they are skipped on SQLite and when Redis
cannot be reached.
"""

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from comments.models import Comment, ModerationSettings
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/8")
BURST = 12


class Browser:
    """One reader's browser: its cookies, and a CSRF token fetched once."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        with self.opener.open(self.base_url + "/accounts/csrf/", timeout=30) as response:
            self.token = json.load(response)["token"]

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fire_at_once(calls) -> list:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def comment_data(text: str) -> dict:
    return {"text": text, "name": "هالة", "email": "hala@example.org", "website": ""}


def open_rules(*, hourly_limit=0):
    rules = ModerationSettings.load()
    rules.hourly_limit = hourly_limit
    rules.close_after_days = None
    rules.notify_moderators = False
    rules.save()


# --- threads against the live test server ---------------------------------------------------


def test_identical_comments_fired_at_once_are_stored_once(live_server, settings):
    """Twelve copies of one comment in twelve threads, flood rule off: one is stored, the
    others are told they already posted it; none is a server error."""
    if connection.vendor == "sqlite":
        # The in-memory database the live server shares with the tests locks whole tables
        # against concurrent writers ("database table is locked"); a file database waits.
        # tests/comments/test_services.py covers the lost race on SQLite.
        pytest.skip("concurrent writes need PostgreSQL here")
    settings.COMMENTS_FLOOD_SECONDS = 0
    open_rules()
    article = factories.make_article()
    browser = Browser(live_server.url)
    path = f"/comments/post/{article.pk}/"
    results = fire_at_once([lambda: browser.post(path, comment_data("نص واحد مكرر"))] * BURST)
    statuses = sorted(status for status, _body in results)
    assert statuses == [302] + [400] * (BURST - 1), statuses
    assert all("لقد نشرت هذا التعليق من قبل." in body for status, body in results if status == 400)
    assert Comment.objects.filter(text="نص واحد مكرر").count() == 1


def test_comments_fired_at_once_from_one_address_pass_the_flood_rule_once(live_server, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    open_rules()
    article = factories.make_article()
    browser = Browser(live_server.url)
    path = f"/comments/post/{article.pk}/"
    results = fire_at_once(
        [lambda n=n: browser.post(path, comment_data(f"تعليق مختلف رقم {n}")) for n in range(BURST)]
    )
    assert sorted(status for status, _body in results) == [302] + [400] * (BURST - 1)
    assert Comment.objects.count() == 1


# --- several gunicorn workers sharing Redis -------------------------------------------------


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {REDIS_TEST_URL} for the multi-worker tests")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_env(**extra) -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.reliability.gunicorn_settings",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CACHE_URL": REDIS_TEST_URL,
            "CACHE_KEY_PREFIX": f"levant24-test-{uuid.uuid4().hex[:8]}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_GRACEFUL_TIMEOUT": "2",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
            "COMMENTS_FLOOD_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def _clear_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def gunicorn_server(django_db_setup, tmp_path_factory):
    """Three gunicorn workers on the test database, started once for this module."""
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        pytest.skip("the workers need a database another process can open (PostgreSQL)")
    _redis_or_skip()
    folder = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    env = _gunicorn_env(GUNICORN_BIND=f"127.0.0.1:{port}", TEST_MAIL_DIR=str(mail_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "levant24.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base_url + "/accounts/csrf/", timeout=5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail("gunicorn did not start:\n" + (folder / "gunicorn.log").read_text())
            time.sleep(0.2)
    try:
        yield base_url, mail_dir, env["CACHE_KEY_PREFIX"]
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
        _clear_prefix(env["CACHE_KEY_PREFIX"])


@pytest.fixture
def gunicorn(gunicorn_server, transactional_db):
    """The server's address and mail folder, with its shared cache and mail emptied: each
    test starts from nothing (the database is emptied after each by pytest-django)."""
    base_url, mail_dir, prefix = gunicorn_server
    _clear_prefix(prefix)
    for path in mail_dir.iterdir():
        path.unlink()
    return base_url, mail_dir


def test_identical_comments_across_gunicorn_workers_are_stored_once(gunicorn):
    base_url, _mail = gunicorn
    open_rules()
    article = factories.make_article()
    browsers = [Browser(base_url) for _ in range(BURST)]
    path = f"/comments/post/{article.pk}/"
    results = fire_at_once(
        [lambda b=b: b.post(path, comment_data("نص مكرر عبر العمال")) for b in browsers]
    )
    statuses = sorted(status for status, _body in results)
    assert statuses == [302] + [400] * (BURST - 1), statuses
    assert Comment.objects.filter(text="نص مكرر عبر العمال").count() == 1


def test_signup_limit_holds_across_gunicorn_workers(gunicorn):
    """Twenty-five sign-ups from one address against a limit of ten an hour: ten accounts,
    whichever worker answered."""
    base_url, _mail = gunicorn
    browsers = [Browser(base_url) for _ in range(25)]
    password = "Qasioun-Sunset-1987"

    def sign_up(browser, n):
        return browser.post(
            "/accounts/signup/",
            {
                "display_name": "قارئ",
                "email": f"burst{n}@example.org",
                "password1": password,
                "password2": password,
            },
        )

    results = fire_at_once([lambda b=b, n=n: sign_up(b, n) for n, b in enumerate(browsers)])
    statuses = [status for status, _body in results]
    assert statuses.count(302) == 10, statuses
    assert statuses.count(200) == 15, statuses
    assert User.objects.filter(email__startswith="burst").count() == 10


def test_hourly_comment_limit_holds_across_gunicorn_workers(gunicorn):
    """Twelve comments from one address at once against a limit of three an hour."""
    base_url, _mail = gunicorn
    open_rules(hourly_limit=3)
    article = factories.make_article()
    browsers = [Browser(base_url) for _ in range(BURST)]
    path = f"/comments/post/{article.pk}/"
    results = fire_at_once(
        [
            lambda b=b, n=n: b.post(path, comment_data(f"تعليق سريع رقم {n}"))
            for n, b in enumerate(browsers)
        ]
    )
    statuses = [status for status, _body in results]
    assert statuses.count(302) == 3, statuses
    assert Comment.objects.count() == 3


def test_one_reset_mail_per_account_across_gunicorn_workers(gunicorn):
    """Five reset requests for one account at once: one mail, whichever workers answered."""
    base_url, mail_dir = gunicorn
    factories.make_reader(email="reset@example.org")
    browsers = [Browser(base_url) for _ in range(5)]
    results = fire_at_once(
        [
            lambda b=b: b.post("/accounts/password/reset/", {"email": "reset@example.org"})
            for b in browsers
        ]
    )
    assert [status for status, _body in results] == [302] * 5
    assert len(list(mail_dir.iterdir())) == 1


def test_gunicorn_refuses_several_workers_on_a_per_process_cache(tmp_path):
    env = _gunicorn_env(GUNICORN_BIND=f"127.0.0.1:{_free_port()}", TEST_MAIL_DIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "levant24.settings.test"
    env.pop("DATABASE_URL")
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "levant24.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CACHE_URL must name a shared cache" in result.stderr + result.stdout
