"""sitemap.xml (articles, sections, kinds, tags, authors) and the news sitemap."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag, TaggedItem

from .models import FEATURES_SLUG, KIND_SLUGS, Article, Section, Status
from .selectors import site_settings

NEWS_WINDOW = timedelta(hours=48)
# Google reads at most 1,000 entries from a news sitemap.
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "updated_at", "published_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default loads every item to find the newest date.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.annotate(
            last=Max(
                "articles__published_at",
                filter=Q(
                    articles__status=Status.PUBLISHED,
                    articles__published_at__lte=timezone.now(),
                ),
            )
        ).order_by("order", "name")

    def lastmod(self, item):
        return item.last


class KindSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return [*KIND_SLUGS.values(), FEATURES_SLUG]

    def location(self, item):
        return reverse("articles:kind", kwargs={"kind_slug": item})


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        public_ids = Article.objects.published().values("pk")
        used = TaggedItem.objects.filter(
            tag_id=OuterRef("pk"),
            content_type__app_label="articles",
            content_type__model="article",
            object_id__in=public_ids,
        )
        return Tag.objects.filter(Exists(used)).order_by("name")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        public = Article.objects.published().filter(author=OuterRef("pk"))
        return (
            get_user_model()
            .objects.authors()
            .filter(Exists(public))
            .only("id", "username")
            .order_by("username")
        )


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "kinds": KindSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@require_safe
def news_sitemap(request):
    """Articles published in the last 48 hours, in the Google News sitemap format."""
    now = timezone.now()
    articles = (
        Article.objects.published()
        .filter(published_at__gte=now - NEWS_WINDOW)
        .only("id", "slug", "title", "published_at")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
    context = {
        "articles": articles,
        "site": site_settings(),
        "base_url": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(
        request, "articles/news_sitemap.xml", context, content_type="application/xml; charset=utf-8"
    )
