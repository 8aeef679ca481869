"""The header keeps its place while the page's scripts start: no layout shift at phone or
desktop width (Lighthouse rates a cumulative shift under 0.1 as good)."""

import pytest

from tests import factories

from .conftest import DESKTOP, PHONE

# The page's layout shifts so far (buffered), each not caused by the reader's input.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_header_does_not_shift_when_the_scripts_run(page, db, viewport):
    article = factories.make_article(title="انطلاق معرض الكتاب في دمشق")
    page.set_viewport_size(viewport)
    for url in ("/", article.get_absolute_url()):
        page.goto(url)
        page.locator("body[data-reader-ready]").wait_for(state="attached")
        page.locator("[data-bell]:not([hidden])").wait_for(state="attached")
        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.02, f"{url}: layout shift {shift:.3f}"
