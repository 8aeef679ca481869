"""Screenshots of the main screens at phone and desktop widths, kept by CI for people to look at.

They land in ``artifacts/screenshots/<screen>-<width>.png``.
"""

import pytest
from django.urls import reverse

from tests import factories

from .conftest import DESKTOP, EDITOR, PHONE, screenshot


def _open_home(page, site_content, login):
    return reverse("articles:home")


def _open_article(page, site_content, login):
    return site_content["article"].get_absolute_url()


def _open_admin(page, site_content, login):
    """The change form of an interview, as an editor sees it."""
    login(factories.make_staff(role="editor", username="boss"))
    interview = site_content["others"][1]
    return reverse("admin:articles_interviewarticle_change", args=[interview.pk])


SCREENS = {"home": _open_home, "article": _open_article, "admin": _open_admin}


@pytest.mark.parametrize("screen", SCREENS)
def test_screenshot_at_phone_and_desktop_width(page, site_content, login, screen):
    url = SCREENS[screen](page, site_content, login)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        response = page.goto(url)
        assert response.status == 200
        if screen == "admin":
            page.locator(EDITOR).wait_for()
        page.evaluate("document.fonts.ready")
        path = screenshot(page, f"{screen}-{label}")
        assert path.stat().st_size > 5_000


@pytest.mark.parametrize("screen", SCREENS)
def test_phone_page_does_not_scroll_sideways(page, site_content, login, screen):
    url = SCREENS[screen](page, site_content, login)
    page.set_viewport_size(PHONE)
    assert page.goto(url).status == 200
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{screen} scrolls sideways by {overflow}px on a phone"
