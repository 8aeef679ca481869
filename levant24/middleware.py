"""Cross-cutting HTTP behaviour: security headers, the full-page cache, a friendly page
when the database is down, and an optional SQL query counter for the benchmark."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.template import loader
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language_from_request

from articles.cache import page_cache_state
from comments.selectors import OWN_COOKIE as OWN_COMMENTS_COOKIE

from .csrf import get_token

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
        " ".join(
            ["img-src 'self' data:", *(["blob:"] if admin else []), *settings.CSP_IMG_SOURCES]
        ),
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
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
            policy = _public_csp(tuple(settings.CSP_IMG_SOURCES))
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


@functools.lru_cache(maxsize=4)
def _public_csp(img_sources: tuple) -> str:
    # The same for every public response: built once (the argument keeps it in step with
    # the setting).
    return build_csp(nonce="", admin=False)


# --- Conditional requests ---------------------------------------------------------------------


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's ETag and 304 handling, without hashing a body that can never repeat.

    A page that carries a CSRF token masked for this response (every page of a signed-in
    reader, the article page with its comment form) is different on every request, so its
    ETag could never match: hashing its 150 kB cost more than anything else in a
    signed-in reader's article page. Such a response is the one that (re)sets the CSRF
    cookie. Stored anonymous pages get their ETag from the page cache, with the token
    left out.
    """

    def needs_etag(self, response):
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return False
        return super().needs_etag(response)


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


# --- Full-page cache ------------------------------------------------------------------------

CSRF_PLACEHOLDER = b"__levant24_csrf_token__"
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers that describe one response only; everything else is stored with the page.
_UNSTORED_HEADERS = {"set-cookie", "date", "cache-control", "etag", "content-length", "expires"}


def _language(request) -> str:
    # The locale middleware has not run yet when a page is looked up.
    if len(settings.LANGUAGES) == 1:
        return settings.LANGUAGE_CODE
    return get_language_from_request(request)


def _page_key(request, generation: str) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{_language(request)}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"pagecache:page:{generation}:{digest}"


def _csrf_etag_part(request) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    return salted_hmac("levant24.pagecache.etag", secret).hexdigest()[:12]


class PageCacheMiddleware:
    """Serves anonymous GET pages from Django's cache.

    It sits near the top of the middleware list, right after the security headers and
    whitenoise: a stored page is answered without running sessions, locale, CSRF, auth or
    messages, because everything those add to an anonymous page (its headers, the CSRF
    cookie) is stored with it or done here. A miss runs the whole stack, and the finished
    response is what gets stored.

    Requests that carry a session cookie (signed-in readers, staff, previews), a
    messages cookie or the cookie of the reader's own pending comments never use the cache, nor do excluded paths (admin, accounts, comment
    posting, search, health). A response is stored only when it is a plain 200 with no
    cookie of its own, no ``private``/``no-store``/``no-cache`` and no session change.

    CSRF: pages with a form (the comment form on the article page) hold a per-reader
    CSRF token. The cache stores the page with a placeholder in place of the token and
    puts a freshly masked token for the reader's own CSRF cookie (checked as Django's
    ``CsrfViewMiddleware`` checks it, and set when missing) into every copy it serves,
    so CSRF protection works unchanged, even without JavaScript. Such pages are
    ``private`` (a shared cache must never hand one reader's token to another); pages
    without a token are ``public`` with ``s-maxage`` for a CDN.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own cookie reading and writing for the CSRF secret; never calls a view.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not self._request_may_use_cache(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        generation, ttl = page_cache_state()
        key = _page_key(request, generation)
        entry = cache.get(key)
        if entry is not None:
            response = self._response_from_entry(request, entry, ttl)
            response["X-Cache"] = "HIT"
            return response  # ConditionalGetMiddleware, just outside, answers 304s

        response = self.get_response(request)
        if request.method == "GET" and self._response_may_be_stored(request, response):
            entry = self._entry_from_response(request, response)
            cache.set(key, entry, ttl)
            self._set_cache_headers(request, response, entry, ttl)
            response["X-Cache"] = "MISS"
        elif "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _request_may_use_cache(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if not getattr(settings, "PAGE_CACHE_ENABLED", True):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        if OWN_COMMENTS_COOKIE in cookies:  # the reader's own pending comments are shown
            return False
        return not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))

    @staticmethod
    def _response_may_be_stored(request, response) -> bool:
        if response.status_code != 200 or getattr(response, "streaming", False):
            return False
        if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        session = getattr(request, "session", None)
        if session is not None and (session.modified or session.session_key):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        storage = getattr(request, "_messages", None)
        return not (storage is not None and getattr(storage, "_queued_messages", None))

    @staticmethod
    def _entry_from_response(request, response) -> dict:
        content = response.content
        has_csrf = False
        # Any token masked from this reader's secret is theirs alone: stored as a placeholder.
        # (CsrfViewMiddleware has already cleared its "needs update" flag at this point.)
        secret = request.META.get("CSRF_COOKIE")
        if secret:

            def swap(match):
                nonlocal has_csrf
                if _unmask_cipher_token(match.group().decode()) == secret:
                    has_csrf = True
                    return CSRF_PLACEHOLDER
                return match.group()

            content = _TOKEN_CANDIDATE.sub(swap, content)
        headers = {k: v for k, v in response.items() if k.lower() not in _UNSTORED_HEADERS}
        return {
            # A page with a token is kept cut at the placeholders: joining the pieces with
            # the reader's token is one copy of the page, a search-and-replace is two passes.
            "content": content.split(CSRF_PLACEHOLDER) if has_csrf else content,
            "headers": headers,
            "has_csrf": has_csrf,
            "etag": hashlib.sha256(content).hexdigest()[:24],
        }

    def _response_from_entry(self, request, entry, ttl: int) -> HttpResponse:
        content = entry["content"]
        if entry["has_csrf"]:
            # The reader's CSRF cookie, read and checked as CsrfViewMiddleware reads it.
            self.csrf.process_request(request)
            content = get_token(request).encode().join(content)
        response = HttpResponse(content)
        for name, value in entry["headers"].items():
            response[name] = value
        if entry["has_csrf"]:
            self.csrf.process_response(request, response)  # (re)sets the CSRF cookie
        self._set_cache_headers(request, response, entry, ttl)
        return response

    @staticmethod
    def _set_cache_headers(request, response, entry, ttl) -> None:
        if entry["has_csrf"]:
            # The copy is tied to this reader's CSRF cookie: so is its ETag.
            response["ETag"] = f'W/"{entry["etag"]}-{_csrf_etag_part(request)}"'
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ("Cookie",))
        else:
            response["ETag"] = f'W/"{entry["etag"]}"'
            # Browsers revalidate every time (a cheap 304) so an edit shows at once; a CDN
            # may keep the page as long as our own cache does, but only for requests
            # without cookies: a signed-in reader must never get the anonymous copy.
            patch_cache_control(response, public=True, max_age=0, s_maxage=ttl)
            patch_vary_headers(response, ("Cookie",))


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
