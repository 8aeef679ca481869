"""Reads for the public pages, each in a fixed number of queries."""

import functools

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import TEASER_FIELDS, Article, Kind, Section, SiteSettings, Status

LATEST_COUNT = 8
BLOCK_SIZE = 4
RELATED_COUNT = 4
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
        settings_obj = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
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


def public_listing():
    return Article.objects.published().for_listing().newest_first()


def latest_news(*, exclude_id: int | None = None, limit: int = LATEST_COUNT):
    qs = public_listing()
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs[:limit])


def _top_per_group(queryset, *, field: str, values: list, size: int) -> dict:
    """The newest ``size`` public articles for each of ``values`` of ``field``, in one
    query, with the teaser's columns.

    PostgreSQL reads each group through its index with a LIMIT, in one LATERAL join: the
    cost follows the size of the blocks, not of the archive, and the statement is written
    once, not compiled again for every group. SQLite has no LATERAL, so there every
    article is ranked with a window function instead (fine for a small archive).
    """
    if not values:
        return {}
    newest = ("-published_at", "-id")
    if connection.vendor == "postgresql":
        rows = sorted(
            Article.objects.raw(
                _lateral_sql(field), [list(values), Status.PUBLISHED, timezone.now(), size]
            ),
            key=lambda article: (article.published_at, article.pk),
            reverse=True,
        )
    else:
        ranked = queryset.filter(**{f"{field}__in": values}).annotate(
            group_rank=Window(
                RowNumber(),
                partition_by=[F(field)],
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        rows = ranked.filter(group_rank__lte=size).order_by(*newest)
    groups: dict = {}
    for article in rows:
        groups.setdefault(getattr(article, field), []).append(article)
    return groups


@functools.cache
def _lateral_sql(field: str) -> str:
    """The newest published articles per value of ``field`` (a parameter array)."""
    meta = Article._meta
    column = meta.get_field(field.removesuffix("_id")).column
    array_type = "bigint[]" if field.endswith("_id") else "text[]"
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in TEASER_FIELDS)
    # Only names from the model's own definition are written into the statement; every
    # value is a parameter.
    return (
        f"SELECT a.* FROM unnest(%s::{array_type}) AS g(value) CROSS JOIN LATERAL ("  # noqa: S608
        f'SELECT {columns} FROM "{meta.db_table}" '
        f'WHERE "{column}" = g.value AND "status" = %s AND "published_at" <= %s '
        f'ORDER BY "published_at" DESC, "id" DESC LIMIT %s) AS a'
    )


def home_blocks() -> dict:
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


def article_main_context(article: Article) -> dict:
    """What the article block of its page shows besides the article: tags, neighbours,
    related articles."""
    published = Article.objects.published().only("id", "slug", "title", "published_at")
    before = published.filter(published_at__lt=article.published_at).order_by(
        "-published_at", "-id"
    )[:1]
    after = published.filter(published_at__gt=article.published_at).order_by("published_at", "id")[
        :1
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: both neighbours in one round trip.
        neighbours = list(before.union(after, all=True))
        previous_article = next(
            (a for a in neighbours if a.published_at < article.published_at), None
        )
        next_article = next((a for a in neighbours if a.published_at > article.published_at), None)
    else:
        previous_article, next_article = before.first(), after.first()
    tags = list(article.tags.all())
    related = list(
        public_listing()
        .filter(section_id=article.section_id)
        .exclude(pk=article.pk)[:RELATED_COUNT]
    )
    return {
        "tags": tags,
        "previous_article": previous_article,
        "next_article": next_article,
        "related": related,
    }


def article_page_context(article: Article) -> dict:
    return article_main_context(article) | {
        "latest": latest_news(exclude_id=article.pk, limit=6),
    }
