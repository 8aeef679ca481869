"""Right-to-left, checked by where things are drawn rather than by attributes."""

from django.urls import reverse

from tests import factories

from .conftest import DESKTOP


def box(locator):
    bbox = locator.bounding_box()
    assert bbox is not None, f"{locator} is not rendered"
    return bbox


def test_article_header_puts_site_name_at_the_right_and_menu_flows_right_to_left(
    page, site_content
):
    page.goto(site_content["article"].get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "rtl"

    name = box(page.locator(".site-header .site-name"))
    menu = box(page.locator("#main-menu"))
    assert name["x"] > DESKTOP["width"] / 2, "the site name is not on the right half"
    assert name["x"] >= menu["x"] + menu["width"] - 1, "the menu is not left of the site name"

    items = page.locator("#main-menu > ul > li > a")
    assert items.count() == 5
    lefts = [box(items.nth(i))["x"] for i in range(items.count())]
    assert lefts == sorted(lefts, reverse=True), f"menu items do not flow right to left: {lefts}"
    assert items.first.inner_text().strip() == "الرئيسية"


def test_article_paragraph_is_right_aligned_and_its_lines_start_at_the_right_edge(
    page, site_content
):
    page.goto(site_content["article"].get_absolute_url())
    paragraph = page.locator(".article .body > p").first
    geometry = paragraph.evaluate(
        """p => {
            const style = getComputedStyle(p);
            const range = document.createRange();
            range.selectNodeContents(p);
            const lines = Array.from(range.getClientRects());
            const box = p.getBoundingClientRect();
            return {
                direction: style.direction,
                textAlign: style.textAlign,
                contentRight: box.right - parseFloat(style.paddingRight),
                contentLeft: box.left + parseFloat(style.paddingLeft),
                lineRights: lines.map(r => r.right),
                lastLineLeft: lines[lines.length - 1].left,
            };
        }"""
    )
    assert geometry["direction"] == "rtl"
    assert geometry["textAlign"] in ("start", "right")
    assert len(geometry["lineRights"]) >= 2, "the paragraph should wrap onto several lines"
    # Every line starts flush with the right edge; the short last line leaves room on the left.
    for right in geometry["lineRights"]:
        assert abs(right - geometry["contentRight"]) <= 2, geometry
    assert geometry["lastLineLeft"] > geometry["contentLeft"] + 2, geometry


def test_admin_nav_sidebar_is_on_the_right(page, login):
    login(factories.make_staff(role="editor", username="boss"))
    page.goto(reverse("admin:articles_interviewarticle_changelist"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    sidebar = box(page.locator("#nav-sidebar"))
    content = box(page.locator("#content"))
    width = page.evaluate("document.documentElement.clientWidth")
    assert sidebar["x"] > content["x"], "the sidebar is not right of the content"
    assert sidebar["x"] > width / 2, sidebar
    # Only the sidebar's narrow show/hide button (about 23px) sits between it and the edge.
    toggle = box(page.locator(".toggle-nav-sidebar"))
    assert toggle["x"] + toggle["width"] >= width - 2, (toggle, width)
    assert abs(sidebar["x"] + sidebar["width"] - toggle["x"]) <= 2, (sidebar, toggle)
