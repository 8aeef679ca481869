"""The benchmark's own parts: its baseline view, its seeded threads, its CPU readings."""

import os
import random
import time

import pytest
from django.utils import timezone

from comments.models import Comment
from tests import factories


@pytest.mark.django_db
def test_minimal_view_is_served_beside_the_sites_urls_in_the_bench_urlconf(client, settings):
    factories.make_site_settings()
    assert client.get("/bench/minimal/").status_code == 404  # not a public URL of the site

    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/bench/minimal/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_seeded_thread_has_exactly_the_approved_comments_asked_some_nested():
    from bench.seed import seed_thread

    article = factories.make_article()
    seed_thread(Comment, random.Random(1), article, 30, timezone.now())

    comments = list(Comment.objects.filter(article=article))
    assert len(comments) == 30
    assert {c.status for c in comments} == {"approved"}
    replies = [c for c in comments if c.parent_id]
    assert len(replies) == 6
    by_pk = {c.pk: c for c in comments}
    assert any(by_pk[c.parent_id].parent_id for c in replies)  # replies to replies
    assert all(by_pk[c.parent_id].created_at < c.created_at for c in replies)
    assert all(c.html and c.name in c.html for c in comments)  # rendered as approval does


def test_cpu_ticks_and_children_read_proc():
    from bench.run import children, cpu_ticks

    before = cpu_ticks(os.getpid())
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert cpu_ticks(os.getpid()) > before
    assert os.getpid() in children(os.getppid())
    assert cpu_ticks(2**22 + 12345) == 0  # gone: counts nothing


@pytest.mark.django_db
def test_seeded_live_coverage_has_its_updates_and_is_public():
    from articles.models import Kind
    from bench.seed import seed_live

    author, section = factories.make_author(), factories.make_section()
    live = seed_live(
        random.Random(1),
        section=section,
        author=author,
        published_at=timezone.now() - timezone.timedelta(days=30),
        updates=12,
    )
    from articles.models import Article

    article = Article.objects.published().get(pk=live["id"])
    assert article.kind == Kind.LIVE and article.is_live
    assert article.live_updates.count() == 12
    assert article.live_updates.filter(pinned=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_live_row_polls_through_varnish_with_the_current_etag(live_server):
    from types import SimpleNamespace

    from articles.models import Kind
    from bench.run import build_rows, live_row

    factories.make_site_settings()
    coverage = factories.make_article(kind=Kind.LIVE)
    factories.make_live_update(article=coverage)
    args = SimpleNamespace(
        live_connections=1000,
        connections=16,
        cache_url="dummycache://",
        search_connections=1,
        writers=16,
        writer_pause_ms=0,
        only="live",
    )
    seeded = {"live": {"id": coverage.pk}}
    row = live_row(args, SimpleNamespace(base=live_server.url), seeded)
    assert (row.key, row.via, row.connections, row.expect) == ("edge_live", "varnish", 1000, 304)
    assert row.path == f"/article/{coverage.pk}/live.json"
    assert row.headers["If-None-Match"].strip('W/"')  # the ETag the endpoint gave
    assert not row.note

    # With --only live: the baseline rows and this one (the static row gives the ratio).
    seeded["threads"] = {"30": {"id": 1, "url": "/"}, "300": {"id": 2, "url": "/"}}
    seeded.update(hot_article_id=coverage.pk, reader_session="none")
    rows = build_rows(args, SimpleNamespace(base=live_server.url), seeded, "/static/x.css")
    assert [r.key for r in rows] == ["minimal", "edge_static", "edge_live"]

    # No live coverage in an old seed: the row says why it is skipped.
    assert "skipped" in live_row(args, None, {}).note
