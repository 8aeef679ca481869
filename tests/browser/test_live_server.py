"""The live server behind the browser tests serves what a real deployment serves."""


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

    image = page.locator(".article .featured img")
    assert "/media/" in image.get_attribute("src")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
