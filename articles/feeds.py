"""RSS feeds: the whole site, each kind and each section.

Items carry the author's public name only: never an email address.
"""

import mimetypes

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import KIND_PLURALS, KIND_SLUGS, Article, SiteSettings

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    language = "ar"

    def title(self, obj=None):
        return SiteSettings.load().site_name

    def link(self, obj=None):
        return reverse("articles:home")

    def description(self, obj=None):
        site = SiteSettings.load()
        return site.tagline or site.about or site.site_name

    def get_articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.get_articles(obj)
            .select_related("section", "author")
            .prefetch_related("tags")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_author_name(self, item):
        return item.author.public_name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosure_url(self, item):
        return item.image.url if item.image else None

    def item_enclosure_length(self, item):
        try:
            return item.image.size if item.image else None
        except OSError:
            return 0

    def item_enclosure_mime_type(self, item):
        if not item.image:
            return None
        return mimetypes.guess_type(item.image.name)[0] or "image/jpeg"


class KindFeed(LatestArticlesFeed):
    def get_object(self, request, kind_slug):
        kind = next((k for k, s in KIND_SLUGS.items() if s == kind_slug), None)
        if kind is None:
            raise Http404
        return kind

    def title(self, obj=None):
        return f"{SiteSettings.load().site_name} - {KIND_PLURALS[obj]}"

    def link(self, obj=None):
        return reverse("articles:kind", kwargs={"kind_slug": KIND_SLUGS[obj]})

    def description(self, obj=None):
        return _("The latest %(kind)s.") % {"kind": KIND_PLURALS[obj]}

    def get_articles(self, obj):
        return Article.objects.published().of_kind(obj)


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        from .models import Section

        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{SiteSettings.load().site_name} - {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or _("The latest articles in %(section)s.") % {"section": obj.name}

    def get_articles(self, obj):
        return Article.objects.published().filter(section=obj)
