"""The live server behind the browser tests serves what a real deployment serves."""

from articles.images import RENDITION_WIDTHS


def test_live_server_serves_static_files_and_uploaded_media(page, site_content):
    statuses = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))
    page.goto(site_content["article"].get_absolute_url())

    static = {url: status for url, status in statuses.items() if "/static/" in url}
    assert any(url.endswith("/static/css/site.css") for url in static), statuses
    assert any(url.endswith("/static/js/site.js") for url in static), statuses
    assert set(static.values()) == {200}, static
    # The stylesheet is applied, not only fetched: the header has its accent border.
    border = page.locator(".site-header").evaluate("h => getComputedStyle(h).borderBottomWidth")
    assert border == "3px"

    # The featured image is served as a WebP rendition from the media folder, not as the
    # 1200px original; the browser picks one of the widths and it loads.
    image = page.locator(".article .featured picture img")
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    assert "/media/" in image.get_attribute("src")
    chosen = image.evaluate("img => img.currentSrc")
    assert "/media/renditions/" in chosen and chosen.endswith("w.webp"), chosen
    assert statuses.get(chosen) == 200, statuses
    rendition_width = int(chosen.rsplit("-", 1)[1].removesuffix("w.webp"))
    assert rendition_width in RENDITION_WIDTHS and rendition_width < 1200, chosen
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
