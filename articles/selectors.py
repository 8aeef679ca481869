"""Reads for the public pages, each in a fixed number of queries."""

import functools

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core import rawsql

from .models import SEARCH_COLUMNS, TEASER_FIELDS, Article, Kind, Section, SiteSettings, Status

LATEST_COUNT = 8
BLOCK_SIZE = 4
RELATED_COUNT = 4
LATEST_ON_ARTICLE = 6
SITE_SETTINGS_CACHE_KEY = "articles:site-settings:v3"
# Saving the settings forgets them in the shared cache (Redis in production) at once; a
# per-process cache (development) keeps the old ones this long in the other workers.
SITE_SETTINGS_SECONDS = 60


def site_settings() -> SiteSettings:
    """The site identity, from the cache: at most one query per page, none when warm.

    A site that has never been configured gets the defaults without a write.
    """
    settings_obj = cache.get(SITE_SETTINGS_CACHE_KEY)
    if settings_obj is None:
        settings_obj = rawsql.get(SiteSettings, 1) or SiteSettings(pk=1)
        cache.set(SITE_SETTINGS_CACHE_KEY, settings_obj, SITE_SETTINGS_SECONDS)
    return settings_obj


def site_settings_for(request) -> SiteSettings:
    """``site_settings()`` read once per request (the view and the templates both need it)."""
    if request is None:
        return site_settings()
    found = getattr(request, "site_settings", None)
    if found is None:
        found = request.site_settings = site_settings()
    return found


def forget_site_settings() -> None:
    cache.delete(SITE_SETTINGS_CACHE_KEY)


def _remember_section(article: Article, section: Section) -> None:
    """``article.section = section`` for a teaser just read (its section_id is that
    section's already), without the descriptor's checks: a home page has seventy."""
    Article.section.field.set_cached_value(article, section)


@functools.cache
def _scheduled_statement():
    field = rawsql.fields(Article, ("published_at",))
    sql = (
        f'SELECT a."published_at" FROM {_table(Article)} a '  # noqa: S608
        'WHERE a."status" = %s AND a."published_at" > %s ORDER BY a."published_at" LIMIT 1'
    )
    return sql, field


def next_scheduled_at():
    """When the next scheduled article goes public, or None."""
    sql, field = _scheduled_statement()
    rows, _db = rawsql.run(Article, sql, [Status.PUBLISHED, timezone.now()], field)
    return rows[0][0] if rows else None


class PublicTeasers:
    """The public articles that meet one condition, newest first, as teasers with their
    section: what a listing paginates (``count()`` and slices), in two hand-written
    statements.

    ``where`` is SQL about the article ``a`` written by this module, with ``%s`` for each
    of ``params``.
    """

    def __init__(self, where: str = "", params=()):
        self.where = f" AND {where}" if where else ""
        self.params = list(params)

    @classmethod
    def tagged(cls, tag) -> "PublicTeasers":
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        where = (
            f'EXISTS (SELECT 1 FROM {_table(TaggedItem)} i WHERE i."object_id" = a."id" '  # noqa: S608
            'AND i."content_type_id" = %s AND i."tag_id" = %s)'
        )
        return cls(where, [ContentType.objects.get_for_model(Article).pk, tag.pk])

    def _public(self):
        return [Status.PUBLISHED, timezone.now(), *self.params]

    def count(self) -> int:
        sql = (
            f"SELECT COUNT(*) FROM {_table(Article)} a "  # noqa: S608
            f'WHERE a."status" = %s AND a."published_at" <= %s{self.where}'
        )
        rows, _db = rawsql.run(Article, sql, self._public(), (None,))
        return rows[0][0]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("PublicTeasers takes a slice without a step")
        start = index.start or 0
        limit = "" if index.stop is None else f" LIMIT {int(index.stop) - int(start)}"
        teaser_fields, section_fields = _teaser_fields()
        sql = (
            f"SELECT {rawsql.columns('a', teaser_fields)}, "  # noqa: S608
            f"{rawsql.columns('s', section_fields)} FROM {_table(Article)} a "
            f'JOIN {_table(Section)} s ON s."id" = a."section_id" '
            f'WHERE a."status" = %s AND a."published_at" <= %s{self.where} '
            f'ORDER BY a."published_at" DESC, a."id" DESC{limit} OFFSET {int(start)}'
        )
        rows, db = rawsql.run(Article, sql, self._public(), (*teaser_fields, *section_fields))
        return _teasers(rows, teaser_fields, section_fields, db)


@functools.cache
def _teaser_fields():
    return rawsql.fields(Article, TEASER_FIELDS), rawsql.fields(Section, ("id", "name", "slug"))


def _teasers(rows, teaser_fields, section_fields, db, *, skip: int = 0) -> list[Article]:
    """Teaser instances from rows of teaser columns then section columns (after ``skip``
    columns of the statement's own)."""
    sections: dict = {}
    items = []
    cut = skip + len(teaser_fields)
    for row in rows:
        item = rawsql.build(Article, teaser_fields, row[skip:cut], db)
        section_pk = row[cut]
        if section_pk not in sections:
            sections[section_pk] = rawsql.build(Section, section_fields, row[cut:], db)
        _remember_section(item, sections[section_pk])
        items.append(item)
    return items


def public_listing():
    return Article.objects.published().for_listing().newest_first()


def latest_news(*, exclude_id: int | None = None, limit: int = LATEST_COUNT):
    qs = public_listing()
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs[:limit])


def _top_per_group(queryset, *, field: str, values: list, size: int) -> dict:
    """The newest ``size`` public articles for each of ``values`` of ``field``, in one
    query, with the teaser's columns: every article ranked with a window function (the
    home page's version for SQLite; PostgreSQL reads the blocks through its indexes in
    ``_home_statement``)."""
    if not values:
        return {}
    ranked = queryset.filter(**{f"{field}__in": values}).annotate(
        group_rank=Window(
            RowNumber(),
            partition_by=[F(field)],
            order_by=[F("published_at").desc(), F("id").desc()],
        )
    )
    groups: dict = {}
    for article in ranked.filter(group_rank__lte=size).order_by("-published_at", "-id"):
        groups.setdefault(getattr(article, field), []).append(article)
    return groups


def home_blocks() -> dict:
    """The home page: lead story, latest news, a block per kind and per section, and when
    the next scheduled article goes public (``scheduled_at``, PostgreSQL only)."""
    if connection.vendor == "postgresql":
        return _home_blocks_in_one_statement()
    return _home_blocks_by_orm()


@functools.cache
def _home_statement():
    teaser_fields = rawsql.fields(Article, TEASER_FIELDS)
    section_fields = rawsql.fields(Section, ("id", "name", "slug"))
    article, section = _table(Article), _table(Section)
    cols = f"{rawsql.columns('a', teaser_fields)}, {rawsql.columns('s', section_fields)}"
    public = 'a."status" = %(status)s AND a."published_at" <= %(now)s'
    joined = f'FROM {article} a JOIN {section} s ON s."id" = a."section_id"'
    newest = 'ORDER BY a."published_at" DESC, a."id" DESC'
    # Every block is read through an index with a LIMIT (LATERAL per kind and per section):
    # the cost follows the size of the page, not of the archive. Only names from the
    # models' own definitions are written here; every value is a parameter.
    sql = f"""
        SELECT * FROM (SELECT 'lead' AS role, 0::bigint AS rank, {cols} {joined}
            WHERE {public} AND a."is_lead" {newest} LIMIT 1) AS lead
        UNION ALL
        SELECT * FROM (SELECT 'top', 0::bigint, {cols} {joined}
            WHERE {public} {newest} LIMIT {LATEST_COUNT + 1}) AS top
        UNION ALL
        SELECT 'kind', g.rank, b.* FROM unnest(%(kinds)s::text[]) WITH ORDINALITY AS g(value, rank)
            CROSS JOIN LATERAL (SELECT {cols} {joined}
            WHERE {public} AND a."kind" = g.value {newest} LIMIT {BLOCK_SIZE}) AS b
        UNION ALL
        SELECT 'section', g.rank, b.* FROM (SELECT "id", row_number() OVER
            (ORDER BY "order", "name") AS rank FROM {section}) AS g
            CROSS JOIN LATERAL (SELECT {cols} {joined}
            WHERE {public} AND a."section_id" = g."id" {newest} LIMIT {BLOCK_SIZE}) AS b
        UNION ALL
        SELECT * FROM (SELECT 'scheduled', 0::bigint, {cols} {joined}
            WHERE a."status" = %(status)s AND a."published_at" > %(now)s
            ORDER BY a."published_at", a."id" LIMIT 1) AS scheduled
    """  # noqa: S608
    return sql, teaser_fields, section_fields


def _home_blocks_in_one_statement() -> dict:
    sql, teaser_fields, section_fields = _home_statement()
    params = {"status": Status.PUBLISHED, "now": timezone.now(), "kinds": list(Kind.values)}
    every = (None, None, *teaser_fields, *section_fields)
    rows, db = rawsql.run(Article, sql, params, every)
    found: dict = {"lead": [], "top": [], "kind": {}, "section": {}, "scheduled": []}
    items = _teasers(rows, teaser_fields, section_fields, db, skip=2)
    for row, item in zip(rows, items, strict=True):
        role, rank = row[0], row[1]
        if role in ("kind", "section"):
            found[role].setdefault(rank, []).append(item)
        else:
            found[role].append(item)
    newest = {"key": lambda a: (a.published_at, a.pk), "reverse": True}
    top = sorted(found["top"], **newest)
    lead = found["lead"][0] if found["lead"] else (top[0] if top else None)
    latest = [a for a in top if lead is None or a.pk != lead.pk][:LATEST_COUNT]
    kind_blocks = [
        (Kind(items[0].kind), sorted(items, **newest))
        for _rank, items in sorted(found["kind"].items())
    ]
    section_blocks = [
        (items[0].section, sorted(items, **newest))
        for _rank, items in sorted(found["section"].items())
    ]
    return {
        "lead": lead,
        "latest": latest,
        "kind_blocks": kind_blocks,
        "section_blocks": section_blocks,
        "scheduled_at": found["scheduled"][0].published_at if found["scheduled"] else None,
    }


def _home_blocks_by_orm() -> dict:
    # Every teaser names its section: taken from the list of sections below, not joined
    # into each of the dozen sub-queries (without the joins each costs a third to build).
    published = Article.objects.published().only(*TEASER_FIELDS).newest_first()
    # The newest article flagged as lead story (a partial index finds it), else simply the
    # newest one.
    lead = published.filter(is_lead=True).first() or published.first()
    lead_id = getattr(lead, "pk", None)
    latest = list(published.exclude(pk=lead_id)[:LATEST_COUNT])
    by_kind = _top_per_group(published, field="kind", values=Kind.values, size=BLOCK_SIZE)
    kind_blocks = [(Kind(kind), by_kind[kind]) for kind in Kind.values if kind in by_kind]
    sections = list(Section.objects.all())
    by_section = _top_per_group(
        published, field="section_id", values=[s.pk for s in sections], size=BLOCK_SIZE
    )
    section_blocks = [
        (section, by_section[section.pk]) for section in sections if section.pk in by_section
    ]
    by_id = {section.pk: section for section in sections}
    shown = [
        lead,
        *latest,
        *(a for group in (*by_kind.values(), *by_section.values()) for a in group),
    ]
    for article in shown:
        if article is not None:
            article.section = by_id[article.section_id]
    return {
        "lead": lead,
        "latest": latest,
        "kind_blocks": kind_blocks,
        "section_blocks": section_blocks,
    }


# --- The article page, in hand-written statements (core.rawsql says why) -------------

SECTION_FIELDS = ("id", "name", "slug", "order", "description")
AUTHOR_FIELDS = ("id", "username", "first_name", "last_name", "display_name", "bio", "photo")
# The parts of the statement: previous, next, related, latest, next scheduled.
NEIGHBOUR_ROLES = ("p", "n", "r", "l", "s")


def _table(model) -> str:
    return f'"{model._meta.db_table}"'


@functools.cache
def _article_statement():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    article_fields = rawsql.fields(
        Article,
        tuple(f.attname for f in Article._meta.concrete_fields if f.name not in SEARCH_COLUMNS),
    )
    section_fields = rawsql.fields(Section, SECTION_FIELDS)
    author_fields = rawsql.fields(user_model, AUTHOR_FIELDS)
    # Only names from the models' own definitions are written into these statements; every
    # value is a parameter.
    sql = (
        f"SELECT {rawsql.columns('a', article_fields)}, {rawsql.columns('s', section_fields)}, "  # noqa: S608
        f"{rawsql.columns('u', author_fields)} FROM {_table(Article)} a "
        f'JOIN {_table(Section)} s ON s."id" = a."section_id" '
        f'JOIN {_table(user_model)} u ON u."id" = a."author_id" '
        f'WHERE a."id" = %s AND a."status" = %s AND a."published_at" <= %s'
    )
    return sql, article_fields, section_fields, author_fields


def published_article(pk: int) -> Article | None:
    """The published article ``pk`` with its section and author, or None."""
    from django.contrib.auth import get_user_model

    sql, article_fields, section_fields, author_fields = _article_statement()
    every = (*article_fields, *section_fields, *author_fields)
    rows, db = rawsql.run(Article, sql, [pk, Status.PUBLISHED, timezone.now()], every)
    if not rows:
        return None
    row = rows[0]
    a, s = len(article_fields), len(article_fields) + len(section_fields)
    article = rawsql.build(Article, article_fields, row[:a], db)
    # The text as loaded (Article.from_db does the same): saving a changed text queues a
    # new search document.
    article._loaded_text = article._text()
    # What loading through the ORM does: an image stored without its size is measured.
    Article._meta.get_field("image").update_dimension_fields(article)
    article.section = rawsql.build(Section, section_fields, row[a:s], db)
    article.author = rawsql.build(get_user_model(), author_fields, row[s:], db)
    return article


@functools.cache
def _surroundings_statement():
    teaser_fields = rawsql.fields(Article, TEASER_FIELDS)
    section_fields = rawsql.fields(Section, ("id", "name", "slug"))
    select = (
        f"{rawsql.columns('a', teaser_fields)}, {rawsql.columns('s', section_fields)} "
        f"FROM {_table(Article)} a "
        f'JOIN {_table(Section)} s ON s."id" = a."section_id" WHERE a."status" = %s AND '
    )
    public = 'a."published_at" <= %s AND '
    newest = 'ORDER BY a."published_at" DESC, a."id" DESC'
    oldest = 'ORDER BY a."published_at", a."id"'
    parts = [
        ("p", public + 'a."published_at" < %s', newest, 1),
        ("n", public + 'a."published_at" > %s', oldest, 1),
        ("r", public + 'a."section_id" = %s AND a."id" <> %s', newest, RELATED_COUNT),
        ("l", public + 'a."id" <> %s', newest, LATEST_ON_ARTICLE),
        ("s", 'a."published_at" > %s', oldest, 1),
    ]
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT '{role}' AS role, {select}{where} {order} LIMIT {limit}) AS {role}"  # noqa: S608
        for role, where, order, limit in parts
    )
    return sql, teaser_fields, section_fields


def article_surroundings(article: Article) -> dict:
    """In one statement: the article's neighbours in publishing order, the newest articles
    of its section and of the site (teasers, with their sections), and when the next
    scheduled article goes public (``scheduled_at``, or None)."""
    sql, teaser_fields, section_fields = _surroundings_statement()
    now, status = timezone.now(), Status.PUBLISHED
    params = [
        *(status, now, article.published_at),
        *(status, now, article.published_at),
        *(status, now, article.section_id, article.pk),
        *(status, now, article.pk),
        *(status, now),
    ]
    every = (None, *teaser_fields, *section_fields)
    rows, db = rawsql.run(Article, sql, params, every)
    found = {role: [] for role in NEIGHBOUR_ROLES}
    items = _teasers(rows, teaser_fields, section_fields, db, skip=1)
    for row, item in zip(rows, items, strict=True):
        found[row[0]].append(item)
    for items in found.values():
        items.sort(key=lambda a: (a.published_at, a.pk), reverse=True)
    scheduled = found["s"][0].published_at if found["s"] else None
    return {
        "previous_article": found["p"][0] if found["p"] else None,
        "next_article": found["n"][0] if found["n"] else None,
        "related": found["r"],
        "latest": found["l"],
        "scheduled_at": scheduled,
    }


@functools.cache
def _tags_statement():
    from taggit.models import Tag, TaggedItem

    tag_fields = rawsql.fields(Tag, ("id", "name", "slug"))
    sql = (
        f"SELECT {rawsql.columns('t', tag_fields)} FROM {_table(Tag)} t "  # noqa: S608
        f'JOIN {_table(TaggedItem)} i ON i."tag_id" = t."id" '
        f'WHERE i."content_type_id" = %s AND i."object_id" = %s ORDER BY i."id"'
    )
    return sql, tag_fields


def article_tags(article: Article) -> list:
    """The article's tags, in the order they were given."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag

    sql, tag_fields = _tags_statement()
    content_type = ContentType.objects.get_for_model(Article).pk  # remembered by Django
    rows, db = rawsql.run(Tag, sql, [content_type, article.pk], tag_fields)
    return [rawsql.build(Tag, tag_fields, row, db) for row in rows]


def article_main_context(article: Article) -> dict:
    """What the article block of its page shows besides the article: tags, neighbours,
    related articles; and the latest news beside it."""
    return {"tags": article_tags(article)} | article_surroundings(article)
