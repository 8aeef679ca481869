"""Live coverage in real browsers: an editor adds an update in the admin while a reader has the
page open; the reader is offered "1 new update" (in Arabic) and then sees it, with nothing
moved before they ask. The page is Arabic, right-to-left and axe-clean."""

import pytest
from django.urls import reverse

from articles.models import Kind
from tests import factories

from .conftest import EDITOR
from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coverage(site_content, settings):
    settings.LIVE_POLL_SECONDS = 2  # the page's data-live-interval; 15 s on the site
    live = factories.make_article(
        kind=Kind.LIVE,
        title="تغطية مباشرة: عاصفة ثلجية في القلمون",
        section=site_content["section"],
        author=site_content["author"],
    )
    factories.make_live_update(
        article=live, body="<p>إغلاق الطرق الجبلية أمام السيارات.</p>", pinned=True
    )
    return live


def test_reader_is_offered_one_new_update_after_an_editor_adds_it(
    person, login, coverage, live_server
):
    reader = person()
    reader.goto(coverage.get_absolute_url())
    assert reader.locator("html").get_attribute("dir") == "rtl"
    assert reader.locator(".live-update").count() == 1
    assert blocking_violations(reader) == []

    editor_page = person()
    login(factories.make_staff(role="editor", username="desk"), ctx=editor_page.context)
    editor_page.goto(f"{reverse('admin:articles_liveupdate_add')}?article={coverage.pk}")
    editor_page.locator(EDITOR).click()
    editor_page.keyboard.type("وصول كاسحات الثلج إلى الطريق الدولي.")
    editor_page.locator("input[name=_save]").click()
    editor_page.wait_for_url(f"**?article={coverage.pk}")

    button = reader.get_by_role("button", name="تحديث جديد واحد")
    button.wait_for(timeout=20_000)
    # Offered, not pushed into what the reader is reading.
    assert reader.locator(".live-update").count() == 1
    button.click()
    first = reader.locator(".live-update").first
    assert "وصول كاسحات الثلج إلى الطريق الدولي." in first.inner_text()
    assert reader.locator(".live-update").count() == 2
    assert button.is_hidden()
    assert reader.evaluate("document.activeElement.classList.contains('live-update')")
    assert blocking_violations(reader) == []


def test_live_desk_is_axe_clean(page, login, coverage):
    factories.make_breaking_line(text="عاجل: انقطاع الاتصالات في الساحل")
    login(factories.make_staff(role="editor", username="deskchief"))
    page.goto(reverse("admin:articles_breakingline_desk"))
    assert page.get_by_role("heading", name="الخبر العاجل المعروض الآن").is_visible()
    found = blocking_violations(page)
    assert found == [], "\n".join(found)
