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
