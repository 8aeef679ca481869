"""Hand-written reads (core/rawsql.py) give what the ORM gives, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import selectors
from articles.models import Article, Section, SiteSettings, Status
from comments.models import Comment
from core import rawsql
from tests import factories

pytestmark = pytest.mark.django_db


def _comment_row(pk):
    fields = rawsql.fields(Comment, ("id", "created_at", "is_featured", "parent_id"))
    sql = f"SELECT {rawsql.columns('c', fields)} FROM comments_comment c WHERE c.id = %s"  # noqa: S608
    rows, db = rawsql.run(Comment, sql, [pk], fields)
    return rawsql.build(Comment, fields, rows[0], db)


def test_values_come_back_as_the_orm_gives_them():
    article = factories.make_article()
    comment = factories.make_comment(article=article, is_featured=True)
    stored = Comment.objects.get(pk=comment.pk)
    built = _comment_row(comment.pk)
    # SQLite stores dates as text and booleans as integers: converted as the ORM converts.
    assert built.created_at == stored.created_at and built.created_at.tzinfo is not None
    assert built.is_featured is True
    assert built.parent_id is None


def test_dates_are_compared_as_the_orm_writes_them():
    """A datetime parameter is adapted like the ORM's (on SQLite a text comparison)."""
    article = factories.make_article()
    published = Article.objects.get(pk=article.pk).published_at
    sql = "SELECT COUNT(*) FROM articles_article WHERE id = %s AND published_at < %s"
    for when, expected in ((published, 0), (published + timedelta(microseconds=1), 1)):
        rows, _db = rawsql.run(Article, sql, [article.pk, when], (None,))
        assert rows[0][0] == expected


def test_built_instances_skip_post_init_and_load_missing_fields_on_access():
    article = factories.make_article(lead="مقدمة")
    seen = []

    def count(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(count, sender=Article)
    try:
        fields = rawsql.fields(Article, ("id", "title"))
        sql = f"SELECT {rawsql.columns('a', fields)} FROM articles_article a WHERE a.id = %s"  # noqa: S608
        rows, db = rawsql.run(Article, sql, [article.pk], fields)
        built = rawsql.build(Article, fields, rows[0], db)
        assert seen == []
    finally:
        post_init.disconnect(count, sender=Article)
    assert not built._state.adding and built._state.db == db
    with CaptureQueriesContext(connection) as queries:
        assert built.lead == "مقدمة"  # not selected: read when asked for, as with .only()
    assert len(queries) == 1


def test_get_reads_one_row_with_or_without_signals():
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "ليفانت"})
    assert rawsql.get(SiteSettings, 1).site_name == "ليفانت"
    assert rawsql.get(SiteSettings, "1", signals=True).site_name == "ليفانت"
    assert rawsql.get(SiteSettings, 999) is None


def test_article_surroundings_match_the_orm():
    section, other = factories.make_section(), factories.make_section()
    now = timezone.now()
    articles = [
        factories.make_article(
            section=section if i % 2 else other, published_at=now - timedelta(hours=i)
        )
        for i in range(1, 12)
    ]
    factories.make_article(published_at=now + timedelta(hours=3))  # scheduled
    factories.make_article(status=Status.DRAFT)
    article = articles[5]
    found = selectors.article_surroundings(article)
    public = Article.objects.published().order_by("-published_at", "-id")
    assert found["previous_article"] == public.filter(published_at__lt=article.published_at).first()
    assert found["next_article"] == public.filter(published_at__gt=article.published_at).last()
    assert found["related"] == list(
        public.filter(section_id=article.section_id).exclude(pk=article.pk)[:4]
    )
    assert found["latest"] == list(public.exclude(pk=article.pk)[:6])
    assert (
        found["scheduled_at"]
        == Article.objects.scheduled().order_by("published_at")[0].published_at
    )
    assert {a.section.name for a in found["latest"]} <= set(
        Section.objects.values_list("name", flat=True)
    )


def test_public_teasers_count_and_pages_match_the_orm():
    section = factories.make_section()
    for i in range(7):
        factories.make_article(
            section=section, published_at=timezone.now() - timedelta(hours=i + 1)
        )
    factories.make_article(section=section, status=Status.DRAFT)
    teasers = selectors.PublicTeasers('a."section_id" = %s', [section.pk])
    public = Article.objects.published().filter(section=section).order_by("-published_at", "-id")
    assert teasers.count() == public.count() == 7
    assert teasers[2:5] == list(public[2:5])
    assert [a.section.name for a in teasers[0:3]] == [section.name] * 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL only")
def test_home_in_one_statement_matches_the_orm_version():
    now = timezone.now()
    sections = [factories.make_section() for _ in range(3)]
    for i in range(20):
        factories.make_article(
            section=sections[i % 3],
            kind=["news", "analysis", "opinion", "video"][i % 4],
            published_at=now - timedelta(hours=i + 1),
            is_lead=(i == 7),
        )
    factories.make_article(published_at=now + timedelta(hours=1))

    def shape(blocks):
        return (
            blocks["lead"].pk,
            [a.pk for a in blocks["latest"]],
            [(str(kind), [a.pk for a in items]) for kind, items in blocks["kind_blocks"]],
            [(s.pk, [a.pk for a in items]) for s, items in blocks["section_blocks"]],
        )

    one = selectors._home_blocks_in_one_statement()
    assert shape(one) == shape(selectors._home_blocks_by_orm())
    assert one["scheduled_at"] is not None
