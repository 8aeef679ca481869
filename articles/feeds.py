"""RSS feeds: the whole site, each kind and each section.

Items carry the author's public name only: never an email address.
"""

import mimetypes

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from .edge import SITE, share_page
from .models import (
    FEATURE_KINDS,
    FEATURES_SLUG,
    KIND_PLURALS,
    KIND_SLUGS,
    Article,
)
from .selectors import site_settings
from .seo import absolute_url

FEED_SIZE = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the featured image as ``<media:content>``.

    Media RSS needs no byte length (an enclosure does), so the image file is never
    opened, which matters when images live in remote storage.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image:
            attrs = {"url": image["url"], "medium": "image", "type": image["type"]}
            if image["width"] and image["height"]:
                attrs |= {"width": str(image["width"]), "height": str(image["height"])}
            handler.addQuickElement("media:content", "", attrs)


class LatestArticlesFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        share_page(request, {SITE, "list-feed"})
        return super().__call__(request, *args, **kwargs)

    feed_type = MediaRssFeed
    language = "ar"

    def title(self, obj=None):
        return site_settings().site_name

    def link(self, obj=None):
        return reverse("articles:home")

    def description(self, obj=None):
        site = site_settings()
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

    def item_extra_kwargs(self, item):
        if not item.image:
            return {}
        return {
            "image": {
                "url": absolute_url(item.image.url),
                "type": mimetypes.guess_type(item.image.name)[0] or "image/jpeg",
                "width": item.image_width,
                "height": item.image_height,
            }
        }


class KindFeed(LatestArticlesFeed):
    """One kind, or the four article kinds together under their shared slug."""

    def get_object(self, request, kind_slug):
        if kind_slug == FEATURES_SLUG:
            return kind_slug, FEATURE_KINDS, _("Articles")
        kind = next((k for k, s in KIND_SLUGS.items() if s == kind_slug), None)
        if kind is None:
            raise Http404
        return kind_slug, (kind,), KIND_PLURALS[kind]

    def title(self, obj=None):
        return f"{site_settings().site_name} - {obj[2]}"

    def link(self, obj=None):
        return reverse("articles:kind", kwargs={"kind_slug": obj[0]})

    def description(self, obj=None):
        return _("The latest %(kind)s.") % {"kind": obj[2]}

    def get_articles(self, obj):
        return Article.objects.published().of_kind(*obj[1])


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        from .models import Section

        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{site_settings().site_name} - {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or _("The latest articles in %(section)s.") % {"section": obj.name}

    def get_articles(self, obj):
        return Article.objects.published().filter(section=obj)
