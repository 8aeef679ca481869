"""Accessibility in a real browser: axe-core, alt text, labels, keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories

from .conftest import EDITOR, PHONE

BLOCKING = ("serious", "critical")


def blocking_violations(page, exclude=()) -> list[str]:
    """axe-core's serious and critical findings, one readable line per element."""
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = Axe().run(page, context=context)
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def unlabelled_fields(page) -> list[str]:
    """Visible form controls without an accessible name from a label or ARIA."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea'))
            .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
            .filter(el => el.getClientRects().length > 0 || el.type === 'checkbox')
            .filter(el => !(el.labels && el.labels.length)
                          && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


def images_without_alt(page) -> list[str]:
    """Images with a missing alt attribute, or an empty one on an image that carries content
    (inside a link it is the link's only name, or in a figure)."""
    return page.evaluate(
        """() => Array.from(document.images)
            .filter(img => !img.hasAttribute('alt')
                           || (img.alt.trim() === '' && (img.closest('a, figure'))))
            .map(img => img.outerHTML.slice(0, 120))"""
    )


@pytest.fixture
def public_urls(site_content):
    article = site_content["article"]
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "listing": reverse("articles:kind", kwargs={"kind_slug": "أخبار"}),
        "sign-in": reverse("accounts:login"),
    }


PUBLIC_PAGES = ["home", "article", "listing", "sign-in"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_axe_violations(page, public_urls, name):
    response = page.goto(public_urls[name])
    assert response.status == 200
    assert blocking_violations(page) == []


def test_admin_article_change_form_has_no_serious_axe_violations(page, login, site_content):
    """The interview form an editor works in: prose editor, image fields, workflow buttons."""
    login(factories.make_staff(role="editor", username="boss"))
    interview = site_content["others"][1]
    page.goto(reverse("admin:articles_interviewarticle_change", args=[interview.pk]))
    page.locator(EDITOR).wait_for()
    assert page.locator("input[name=interviewee_name]").is_visible()
    found = blocking_violations(page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_images_have_alt_and_fields_have_labels(page, public_urls, name):
    response = page.goto(public_urls[name])
    assert response.status == 200
    if name in ("home", "article"):
        assert page.locator("main img").count() >= 1, "the featured image is missing"
    assert images_without_alt(page) == []
    assert unlabelled_fields(page) == []
    if name == "sign-in":
        assert page.locator("main input[name=username]").is_visible()
        assert page.locator("main input[name=password]").is_visible()


def test_admin_article_change_form_fields_have_labels(page, login, site_content):
    login(factories.make_staff(role="editor", username="boss"))
    interview = site_content["others"][1]
    page.goto(reverse("admin:articles_interviewarticle_change", args=[interview.pk]))
    page.locator(EDITOR).wait_for()
    assert page.locator("input[name=title]").is_visible()
    assert page.locator("input[type=file][name=image]").count() == 1
    assert unlabelled_fields(page) == []
    # The editing area is a contenteditable textbox, named by the body field's label.
    editor = page.locator(EDITOR)
    assert editor.get_attribute("role") == "textbox"
    label = page.locator(f"#{editor.get_attribute('aria-labelledby')}")
    assert label.inner_text().strip().rstrip(":") == "النص"
    # The split publish time: each of its two inputs has its own name.
    assert page.locator("#id_published_at_0").get_attribute("aria-label") == "تاريخ النشر"
    assert page.locator("#id_published_at_1").get_attribute("aria-label") == "ساعة النشر"


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                text: (el.innerText || '').trim(),
                inMenu: !!el.closest('#main-menu'),
                inSubmenu: !!el.closest('#main-menu .submenu'),
                visible: el.getClientRects().length > 0,
            };
        }"""
    )


def test_keyboard_opens_the_articles_submenu_with_its_button_and_escape_closes_it(
    page, site_content
):
    page.goto(site_content["article"].get_absolute_url())
    submenu = page.locator("#main-menu .has-submenu .submenu")
    toggle = page.locator("#main-menu .submenu-toggle")
    assert not submenu.is_visible()

    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["inMenu"] and not focused["inSubmenu"]:
            reached.append(focused["text"])
        if focused["text"] == "مقالات":
            break
    assert reached[:3] == ["الرئيسية", "أخبار", "مقالات"], reached

    # Next stop: the button that shows the article types, named in Arabic, still closed.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('submenu-toggle')")
    name = page.evaluate("document.activeElement.querySelector('.visually-hidden').textContent")
    assert name == "عرض أنواع المقالات"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not submenu.is_visible()

    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert submenu.is_visible()
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["inSubmenu"] and focused["visible"], focused
    assert focused["text"] == "تحليلات"

    page.keyboard.press("Escape")
    assert not submenu.is_visible(), "Escape leaves the submenu open"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('submenu-toggle')")

    # Space opens it too; leaving the menu with Tab closes it.
    page.keyboard.press(" ")
    assert submenu.is_visible()
    for _ in range(5):
        page.keyboard.press("Tab")
    assert not _focused(page)["inSubmenu"]
    assert not submenu.is_visible()
    assert _focused(page)["text"] == "إنفوجرافيك"


def test_phone_menu_button_opens_the_menu_from_the_keyboard(page, site_content):
    page.set_viewport_size(PHONE)
    page.goto(site_content["article"].get_absolute_url())
    toggle = page.locator(".menu-toggle")
    first_link = page.locator("#main-menu > ul > li > a").first
    assert toggle.is_visible()
    assert not first_link.is_visible()

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu-toggle')"):
            break
    else:
        pytest.fail("Tab never reaches the menu button")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert first_link.is_visible()
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "الرئيسية"


def test_search_results_page_has_no_serious_axe_violations(page, site_content):
    """Searched from the header box with the keyboard, as most readers do."""
    page.goto(reverse("articles:home"))
    page.locator("#header-q").fill("حلب")
    with page.expect_navigation():
        page.locator("#header-q").press("Enter")
    results = page.locator(".search-results .search-result h2")
    assert results.count() >= 1
    assert site_content["article"].title in results.all_inner_texts()
    assert page.locator("#search-q").input_value() == "حلب"
    assert blocking_violations(page) == []
    assert unlabelled_fields(page) == []


def _active(page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_sign_in_dialog_opens_from_the_keyboard_keeps_focus_inside_and_escape_closes_it(
    page, site_content
):
    page.goto(site_content["article"].get_absolute_url())
    for _ in range(40):
        page.keyboard.press("Tab")
        if _active(page, "el.matches('.site-header a.sign-in')"):
            break
    else:
        pytest.fail("Tab never reaches the sign-in link")
    page.keyboard.press("Enter")
    dialog = page.locator("#signin-dialog")
    dialog.wait_for(state="visible")
    page.wait_for_function("document.activeElement.id === 'signin-dialog-username'")
    assert dialog.evaluate("d => d.open && d.matches(':modal')")
    assert page.url.endswith(site_content["article"].get_absolute_url()), "the link was followed"
    assert blocking_violations(page) == []

    visited = []
    for _ in range(4):
        page.keyboard.press("Tab")
        assert _active(page, "!!el.closest('#signin-dialog')"), "focus left the dialog"
        visited.append(_active(page, "el.name || el.textContent.trim()"))
    assert visited == ["password", "تسجيل الدخول", "نسيت كلمة المرور؟", "أنشئ حساباً"]

    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert not dialog.is_visible()
    assert _active(page, "el.matches('.site-header a.sign-in')"), "focus did not come back"


def test_comment_reply_and_cancel_work_from_the_keyboard(page, site_content):
    article = site_content["article"]
    comment = factories.make_comment(article=article, name="ليلى", text="تقرير مفيد، شكراً.")
    page.goto(article.get_absolute_url())
    respond = page.locator("#respond")
    page.locator(f"#comment-{comment.pk} .comment-permalink").focus()
    page.keyboard.press("Tab")
    assert _active(page, "el.matches('.comment-reply-link')")

    page.keyboard.press("Enter")
    assert page.locator(f"#comment-{comment.pk} #respond").count() == 1
    assert _active(page, "el.id") == "id_text", "focus is not in the reply box"
    assert respond.locator("[data-reply-to-heading]").inner_text() == "الرد على ليلى"
    assert page.locator("#respond input[name=parent]").input_value() == str(comment.pk)

    # Back one stop: "cancel reply"; Enter puts the form back and focus on "reply" again.
    page.keyboard.press("Shift+Tab")
    assert _active(page, "el.id") == "cancel-reply"
    page.keyboard.press("Enter")
    assert page.locator(f"#comment-{comment.pk} #respond").count() == 0
    assert page.locator("#respond input[name=parent]").input_value() == ""
    assert _active(page, "el.matches('.comment-reply-link')"), "focus was lost on cancel"

    page.keyboard.press("Enter")
    assert _active(page, "el.id") == "id_text"
    page.keyboard.type("وأنا أيضاً استفدت منه.")
    assert page.locator(f"#comment-{comment.pk} #id_text").input_value() == (
        "وأنا أيضاً استفدت منه."
    )
