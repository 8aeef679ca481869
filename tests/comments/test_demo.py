import io

import pytest

from comments import demo
from comments.models import Comment, Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_adds_approved_pending_spam_and_threaded_comments_once(article):
    factories.make_article(status="draft")
    out = io.StringIO()
    created = demo.load(stdout=out)
    assert created == len(demo.THREAD)
    assert "comments:" in out.getvalue()
    comments = Comment.objects.filter(article=article)
    assert comments.approved().exists()
    assert comments.pending().exists()
    assert comments.filter(status=Status.SPAM).exists()
    assert comments.filter(is_featured=True).count() == 1
    deepest = comments.get(text__startswith="صحيح، المكتب المحلي")
    assert deepest.parent.parent.parent.parent_id is None  # four levels: a > b > c > d
    assert Comment.objects.exclude(article=article).count() == 0  # drafts get none

    assert demo.load(stdout=io.StringIO()) == 0
    assert Comment.objects.count() == len(demo.THREAD)


def test_demo_thread_renders_on_the_article_page(client, article):
    demo.load()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "تقرير واضح ومتوازن" in html
    assert "تعليق ما زال بانتظار" not in html
    assert "spam.example" not in html
    assert "layla.demo@example.com" not in html
