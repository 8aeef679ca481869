"""The admin's live desk: the breaking line on the site now and the live coverages, with the
quick actions (take the line down, add an update, end a coverage)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import BreakingLine, Kind
from tests import factories

pytestmark = pytest.mark.django_db

DESK = reverse("admin:articles_breakingline_desk")


def signed_in(role):
    client = Client()
    client.force_login(factories.make_staff(role=role, username=f"{role}-desk"))
    return client


@pytest.fixture
def coverage(author, section):
    return factories.make_article(
        kind=Kind.LIVE,
        title="تغطية مباشرة: انتخابات المجالس المحلية",
        author=author,
        section=section,
    )


def test_desk_shows_the_current_line_and_open_coverages_with_their_counts(
    coverage, author, section
):
    factories.make_breaking_line(text="عاجل: إعلان النتائج الأولية")
    factories.make_live_update(article=coverage)
    factories.make_live_update(article=coverage)
    ended = factories.make_article(
        kind=Kind.LIVE,
        title="تغطية انتهت",
        author=author,
        section=section,
        coverage_ended_at=timezone.now(),
    )
    html = signed_in("editor").get(DESK).content.decode()
    assert "عاجل: إعلان النتائج الأولية" in html
    assert coverage.title in html and "<td>2</td>" in html
    assert f"{reverse('admin:articles_liveupdate_add')}?article={coverage.pk}" in html
    assert "انتهت مؤخراً" in html and ended.title in html
    assert "مكتب التغطية المباشرة" in html


def test_take_down_ends_the_line_at_once(coverage):
    line = factories.make_breaking_line()
    response = signed_in("editor").post(DESK, {"action": "take_down", "line": line.pk})
    assert response.status_code == 302
    assert not BreakingLine.objects.current().exists()


def test_end_coverage_from_the_desk(coverage):
    signed_in("editor").post(DESK, {"action": "end_coverage", "article": coverage.pk})
    coverage.refresh_from_db()
    assert coverage.coverage_ended_at is not None


def test_desk_is_for_editors_only(coverage):
    journalist = signed_in("journalist")
    assert journalist.get(DESK).status_code == 403
    assert signed_in("moderator").get(DESK).status_code == 403
    line = factories.make_breaking_line()
    response = journalist.post(DESK, {"action": "take_down", "line": line.pk})
    assert response.status_code == 403
    assert BreakingLine.objects.current().exists()
