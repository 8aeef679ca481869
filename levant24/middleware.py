"""Cross-cutting HTTP behaviour: security headers, a friendly page when the database is
down, and an optional SQL query counter for the benchmark. (Caching headers: edge/.)"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import secrets

from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

from .storage import media_image_sources

logger = logging.getLogger(__name__)


# --- Content-Security-Policy and friends -------------------------------------------------

VIDEO_FRAME_SOURCES = "https://www.youtube-nocookie.com https://player.vimeo.com"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
_IMPORTMAP = re.compile(rb'<script type="importmap"(?=[ >])')


def build_csp(*, nonce: str, admin: bool) -> str:
    """The policy: scripts and styles only from our own files.

    Public pages carry no nonce at all, so a cached page stays valid for everyone. The
    admin gets a nonce for the import map django-prose-editor renders inline (data that
    tells the browser where its modules live), and may use inline styles: Django's admin
    puts a ``<style>`` block in the change list and its scripts set style attributes.
    Inline styles cannot run code; inline scripts stay forbidden everywhere.
    """
    script_src = f"'self' 'nonce-{nonce}'" if admin else "'self'"
    style_src = "'self' 'unsafe-inline'" if admin else "'self'"
    directives = [
        "default-src 'self'",
        f"script-src {script_src}",
        f"style-src {style_src}",
        " ".join(["img-src 'self' data:", *(["blob:"] if admin else []), *media_image_sources()]),
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        # The push service worker (/push-sw.js).
        "worker-src 'self'",
        f"frame-src {VIDEO_FRAME_SOURCES}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Referrer-Policy, X-Content-Type-Options, X-Frame-Options and HSTS come from Django's
    own middleware (settings ``SECURE_*`` and ``X_FRAME_OPTIONS``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            nonce = secrets.token_urlsafe(16)
            if not getattr(response, "streaming", False) and response.get(
                "Content-Type", ""
            ).startswith("text/html"):
                response.content = _IMPORTMAP.sub(
                    b'<script type="importmap" nonce="' + nonce.encode() + b'"',
                    response.content,
                )
            policy = build_csp(nonce=nonce, admin=True)
        else:
            policy = _public_csp(media_image_sources())
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


@functools.lru_cache(maxsize=4)
def _public_csp(img_sources: tuple) -> str:
    # The same for every public response: built once (the argument keeps it in step with
    # the setting).
    return build_csp(nonce="", admin=False)


# --- Database down: an Arabic 503 instead of a 500 ------------------------------------------


def database_unavailable_response() -> HttpResponse:
    # Rendered without a request so that no context processor touches the database.
    html = loader.get_template("503.html").render({})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True)
    return response


class DatabaseUnavailableMiddleware:
    """Any page whose view finds the database unreachable answers 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error(
                "database unavailable path=%s error=%s",
                request.path,
                exception,
                exc_info=exception,
            )
            return database_unavailable_response()
        return None


# --- SQL query counter for the benchmark ------------------------------------------------


class QueryCountHeaderMiddleware:
    """Adds ``X-Query-Count`` (SQL queries run for the response) when enabled.

    Off unless ``QUERY_COUNT_HEADER`` is set; the benchmark turns it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with contextlib.ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
