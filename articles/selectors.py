"""Reads for the public pages, each in a fixed number of queries."""

from .models import Article, Kind, Section

LATEST_COUNT = 8


def latest_news(*, exclude_id: int | None = None, limit: int = LATEST_COUNT):
    qs = Article.objects.published().for_listing().newest_first()
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs[:limit])


def home_blocks() -> dict:
    published = Article.objects.published().for_listing().newest_first()
    lead = published.filter(is_lead=True).first() or published.first()
    latest = list(published.exclude(pk=getattr(lead, "pk", None))[:LATEST_COUNT])
    kind_blocks = []
    for kind in Kind:
        items = list(published.filter(kind=kind)[:4])
        if items:
            kind_blocks.append((kind, items))
    section_blocks = []
    for section in Section.objects.all():
        items = list(published.filter(section=section)[:4])
        if items:
            section_blocks.append((section, items))
    return {
        "lead": lead,
        "latest": latest,
        "kind_blocks": kind_blocks,
        "section_blocks": section_blocks,
    }


def article_page_context(article: Article) -> dict:
    published = Article.objects.published()
    previous_article = (
        published.filter(published_at__lt=article.published_at)
        .only("id", "slug", "title")
        .order_by("-published_at", "-id")
        .first()
    )
    next_article = (
        published.filter(published_at__gt=article.published_at)
        .only("id", "slug", "title")
        .order_by("published_at", "id")
        .first()
    )
    tags = list(article.tags.all())
    related = list(
        published.for_listing()
        .filter(section_id=article.section_id)
        .exclude(pk=article.pk)
        .newest_first()[:4]
    )
    return {
        "tags": tags,
        "previous_article": previous_article,
        "next_article": next_article,
        "related": related,
        "latest": latest_news(exclude_id=article.pk, limit=6),
    }
