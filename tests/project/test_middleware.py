import io
import json
import logging
import re

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def serving_urls(settings):
    settings.ROOT_URLCONF = "tests.project.urls_serving"


def _public_pages(article):
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "listing": article.section.get_absolute_url(),
        "404": "/no-such-page/",
        "admin login": reverse("admin:login"),
    }


def test_every_page_carries_the_security_headers(client, article):
    for name, url in _public_pages(article).items():
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, name
        assert "'unsafe-inline'" not in csp.split("style-src")[0], name
        assert "object-src 'none'" in csp
        assert "base-uri 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "https://www.youtube-nocookie.com" in csp and "https://player.vimeo.com" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_allow_neither_inline_scripts_nor_inline_styles(client, article):
    csp = client.get(reverse("articles:home"))["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "img-src 'self' data:;" in csp


def test_no_page_contains_inline_script_or_event_handler(client, article, admin_user, serving_urls):
    pages = _public_pages(article)
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {name}"
        assert not EVENT_HANDLER.search(html), f"inline event handler on {name}"
    client.force_login(admin_user)
    for url in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/interviewarticle/add/",
        "/admin/comments/comment/",
        "/admin/comments/bannedword/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        for tag in INLINE_SCRIPT.findall(html):
            # Only the editor's import map (data) may be inline, and it carries the nonce.
            assert 'type="importmap"' in tag and f'nonce="{nonce}"' in tag, tag
        assert not EVENT_HANDLER.search(html), url


def test_hsts_and_secure_cookies_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("articles:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_database_down_gives_arabic_503_with_retry_after(client, serving_urls):
    response = client.get("/db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الخدمة غير متاحة مؤقتاً" in html


def test_database_down_on_a_real_page_gives_503(client, article, monkeypatch):
    from articles import views

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "home_blocks", fail)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 503
    assert "الخدمة غير متاحة مؤقتاً" in response.content.decode()


@pytest.fixture
def captured_log():
    """What the stdout handler writes, as JSON lines."""
    handler = logging.getLogger("django.request").handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_server_error_is_logged_as_one_json_line_with_traceback(serving_urls, captured_log):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    lines = [line for line in captured_log.getvalue().splitlines() if line]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "ERROR"
    assert record["logger"] == "django.request"
    assert record["path"] == "/boom/"
    assert record["status"] == 500
    assert record["exc_type"] == "RuntimeError"
    assert "kaboom in the view" in record["traceback"]
    assert "Traceback (most recent call last)" in record["traceback"]


def test_query_count_header_counts_sql(settings, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MIDDLEWARE = ["levant24.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(article.get_absolute_url())
    assert int(response["X-Query-Count"]) == len(queries.captured_queries) > 0


def test_shared_pages_answer_304_and_private_pages_are_not_hashed(article):
    from tests import factories

    reader = Client()
    reader.force_login(factories.make_reader())
    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "csrftoken" not in page.cookies  # the shared page holds no token
    again = reader.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304

    own = reader.get(reverse("accounts:profile"))
    assert "no-store" in own["Cache-Control"] and "private" in own["Cache-Control"]
    assert "ETag" not in own
