"""Headless Chromium against a live test server.

One Chromium per test session, one fresh browser context (cookies, storage) and page per test.
The browser is the operating system's Chromium (`make browser-deps` installs the Debian package
and an Arabic font); Playwright's own browser download is never used.

When Chromium is missing the browser tests are skipped with the reason in the summary, unless
``LEVANT24_REQUIRE_BROWSER=1`` (CI), which turns the skip into a failure.

Playwright's sync API keeps an asyncio loop "running" in the main thread from start to stop, so
Django refuses ORM calls there (``SynchronousOnlyOperation``) although the test code is plain
synchronous code. The browser tests are therefore run last in the session and
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only while Chromium is up, which keeps the guard intact for
every other test.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from tests import factories

# Debian's Chromium; LEVANT24_CHROMIUM points elsewhere (another distribution, or a test of
# the skip path).
CHROMIUM = os.environ.get("LEVANT24_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("LEVANT24_REQUIRE_BROWSER") == "1"
BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS = (
    Path(os.environ.get("LEVANT24_ARTIFACTS", BROWSER_DIR.parent.parent / "artifacts"))
    / "screenshots"
)

PHONE = {"width": 390, "height": 844}
# The editing area of the prose editor (a hidden menu also has the ProseMirror class).
EDITOR = ".prose-editor > .ProseMirror[contenteditable=true]"
DESKTOP = {"width": 1366, "height": 900}

_skip_reason: list[str] = []


def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder `browser` and run it after all other tests."""
    # Without Chromium, skip before any database or live server is set up (CI fails instead,
    # in the `chromium` fixture).
    missing = None
    if not os.access(CHROMIUM, os.X_OK) and not REQUIRE_BROWSER:
        missing = f"{CHROMIUM} is not installed"
    browser, others = [], []
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                _skip_reason[:] = [missing]
                item.add_marker(pytest.mark.skip(reason=missing))
            browser.append(item)
        else:
            others.append(item)
    items[:] = others + browser


def pytest_terminal_summary(terminalreporter):
    if _skip_reason:
        terminalreporter.write_sep("!", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(f"{_skip_reason[0]}", yellow=True)
        terminalreporter.write_line(
            "Install Chromium with `make browser-deps` (root on Debian); "
            "LEVANT24_REQUIRE_BROWSER=1 turns this skip into a failure."
        )


def _unavailable(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"LEVANT24_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    if not _skip_reason:
        _skip_reason.append(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """The one headless Chromium of the session."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - requirements-dev.txt pins it
        _unavailable(f"playwright is not importable ({exc})")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        _restore_env(previous)
        _unavailable(f"{CHROMIUM} does not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()
    _restore_env(previous)


def _restore_env(previous):
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(chromium, live_server):
    """A fresh browser profile pointed at the live server, desktop-sized, Arabic."""
    ctx = chromium.new_context(
        base_url=live_server.url, locale="ar", viewport=DESKTOP, timezone_id="Asia/Damascus"
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """The test's page; a JavaScript error on any page it visits fails the test."""
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"{pg.url}: {exc}"))
    yield pg
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def person(chromium, live_server):
    """Another person at another browser: each call opens a page in a fresh profile (its own
    cookies), Arabic and desktop-sized. A JavaScript error on any of them fails the test."""
    contexts, errors = [], []

    def _open():
        ctx = chromium.new_context(
            base_url=live_server.url, locale="ar", viewport=DESKTOP, timezone_id="Asia/Damascus"
        )
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.on("pageerror", lambda exc: errors.append(f"{pg.url}: {exc}"))
        return pg

    yield _open
    for ctx in contexts:
        ctx.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def login(context, live_server):
    """Sign a user in for a browser context, the test's own by default (session cookie, no
    form round-trip)."""

    def _login(user, ctx=None):
        client = Client()
        client.force_login(user, backend="accounts.backends.EmailOrUsernameBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        (ctx or context).add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return _login


def png_bytes(width=1200, height=675, color=(120, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


BODY = (
    "<h2>خلفية الزيارة</h2>"
    "<p>وصل الوفد صباح اليوم إلى المدينة القديمة، حيث التقى بممثلين عن الأهالي والتجار "
    "الذين عرضوا مطالبهم المتعلقة بإعادة تأهيل الأسواق المتضررة وتأمين الكهرباء والمياه "
    "للأحياء الشرقية قبل حلول فصل الشتاء، وتحدث عدد منهم عن صعوبات العودة إلى منازلهم.</p>"
    "<blockquote><p>نريد أن نرى الأسواق عامرة من جديد.</p></blockquote>"
    "<p>وأكد المشاركون في اللقاء أن الأولوية للخدمات الأساسية.</p>"
)


@pytest.fixture
def site_content(db):
    """A small newsroom: a section, an author, a lead article with a featured image, and one
    article of each other kind the menu links to."""
    section = factories.make_section(name="سوريا", slug="سوريا")
    author = factories.make_author(username="sara", display_name="سارة الكاتبة")
    lead = factories.make_article(
        title="وفد حكومي يزور حلب القديمة",
        section=section,
        author=author,
        body=BODY,
        lead="زيارة تبحث إعادة تأهيل الأسواق والخدمات في المدينة القديمة.",
        image_alt="سوق المدينة القديمة في حلب",
        image_caption="سوق المدينة",
        image_credit="مواقع التواصل الاجتماعي",
        is_lead=True,
        tags=["حلب", "أسواق"],
    )
    lead.image.save("souq.png", ContentFile(png_bytes()), save=True)
    others = [
        factories.make_article(
            title="قراءة في أرقام الموازنة الجديدة", kind="analysis", section=section, author=author
        ),
        factories.make_article(
            title="حوار مع مهندسة تعيد بناء المدارس",
            kind="interview",
            section=section,
            author=author,
        ),
        factories.make_article(title="الليرة في أسبوع", section=section, author=author),
    ]
    return {"section": section, "author": author, "article": lead, "others": others}


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
