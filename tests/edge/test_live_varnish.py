"""Through a real Varnish: the live coverage endpoint and the breaking strip are kept by the
edge for every reader, answer pollers' If-None-Match with a 304 from the edge, and are fresh
at once after an editor's change (purged by their own keys, nothing else)."""

import json
import time

import pytest
from django.utils import timezone

from articles.models import Kind
from tests import factories

from .conftest import _get

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.edge]


@pytest.fixture
def coverage(edge):
    author = factories.make_author()
    section = factories.make_section()
    live = factories.make_article(kind=Kind.LIVE, author=author, section=section)
    other = factories.make_article(author=author, section=section)
    factories.make_live_update(article=live, body="<p>التحديث الأول من الميدان</p>")
    return {"live": live, "other": other}


def test_live_endpoint_is_a_hit_answers_304_and_is_fresh_right_after_an_update(edge, coverage):
    live = coverage["live"]
    path = f"/article/{live.pk}/live.json"
    status, headers, body = _get(edge + path)
    assert status == 200 and "التحديث الأول من الميدان" in json.loads(body)["updates"][0]["html"]
    etag = headers["ETag"]
    status, headers, _body = _get(edge + path)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    status, headers, _body = _get(edge + path, {"If-None-Match": etag})
    assert (status, headers["X-Cache"]) == (304, "HIT")
    other = coverage["other"].get_absolute_url()
    _get(edge + other)
    assert _get(edge + other)[1]["X-Cache"] == "HIT"

    factories.make_live_update(article=live, body="<p>تحديث جديد بعد دقائق</p>")
    started = time.monotonic()
    status, headers, body = _get(edge + path, {"If-None-Match": etag})
    assert status == 200 and "تحديث جديد بعد دقائق" in json.loads(body)["updates"][0]["html"]
    assert time.monotonic() - started < 2
    assert headers["ETag"] != etag
    assert _get(edge + path)[1]["X-Cache"] == "HIT"  # kept again for the next pollers
    assert _get(edge + other)[1]["X-Cache"] == "HIT"  # no other page was purged


def test_breaking_strip_is_a_hit_and_fresh_right_after_a_new_line(edge, coverage):
    path = "/breaking.json"
    assert json.loads(_get(edge + path)[2]) == {"line": None}
    assert _get(edge + path)[1]["X-Cache"] == "HIT"
    factories.make_breaking_line(
        text="عاجل: إغلاق الطريق الساحلي",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )
    status, headers, body = _get(edge + path)
    assert status == 200 and json.loads(body)["line"]["text"] == "عاجل: إغلاق الطريق الساحلي"
    assert _get(edge + path)[1]["X-Cache"] == "HIT"
