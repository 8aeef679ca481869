"""Page metadata for search engines and link previews: canonical URLs, OpenGraph,
Twitter cards and schema.org JSON-LD."""

import html
import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.links import link

from .models import Article, Kind, SiteSettings
from .selectors import site_settings

# schema.org has no interview, infographic or video subtype of NewsArticle: those
# stay NewsArticle; a video article also describes its player as a VideoObject.
SCHEMA_TYPES = {
    Kind.NEWS: "NewsArticle",
    Kind.ANALYSIS: "AnalysisNewsArticle",
    Kind.OPINION: "OpinionNewsArticle",
    Kind.DEEP_DIVE: "BackgroundNewsArticle",
    Kind.INTERVIEW: "NewsArticle",
    Kind.INFOGRAPHIC: "NewsArticle",
    Kind.VIDEO: "NewsArticle",
    Kind.LIVE: "LiveBlogPosting",
}
LOGO_PATH = "img/logo.png"
LOGO_SIZE = 512

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """``path`` on the public site (unchanged if it is already absolute)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def canonical_url(request) -> str:
    """The page's own address without query parameters, except a page number above 1."""
    url = absolute_url(escape_uri_path(request.path))
    page = request.GET.get("page", "")
    # isdecimal, not isdigit: "²" is a digit that int() refuses (that was a 500).
    if page.isdecimal() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def page_url(request, number: int) -> str:
    url = absolute_url(escape_uri_path(request.path))
    return url if number <= 1 else f"{url}?page={number}"


def modified_at(article: Article):
    """Last change as readers should see it: never before the publish time (an
    article scheduled ahead is published later than it was last saved)."""
    dates = [d for d in (article.updated_at, article.published_at) if d]
    return max(dates) if dates else None


def image_info(article: Article, site: SiteSettings | None = None) -> dict | None:
    """The picture for link previews and JSON-LD: the article's own, else the site's
    default social image (SiteSettings), else none."""
    if article.image:
        return {
            "url": absolute_url(article.image.url),
            "width": article.image_width,
            "height": article.image_height,
            "alt": article.image_alt or article.title,
        }
    site = site or site_settings()
    if site.social_image:
        return {
            "url": absolute_url(site.social_image.url),
            "width": site.social_image_width,
            "height": site.social_image_height,
            "alt": site.site_name,
        }
    return None


def json_ld_script(data) -> SafeString:
    """A ``<script type="application/ld+json">`` block that cannot be closed early by
    any text inside it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def article_structured_data(article: Article, tags=(), site: SiteSettings | None = None) -> dict:
    site = site or site_settings()
    home = absolute_url(link("articles:home"))
    url = absolute_url(article.get_absolute_url())
    author = article.author
    modified = modified_at(article)
    data = {
        "@type": SCHEMA_TYPES.get(article.kind, "NewsArticle"),
        "@id": url,
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": "ar",
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": modified.isoformat() if modified else None,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in tags],
        "author": {
            "@type": "Person",
            "name": author.public_name,
            "url": absolute_url(author.get_absolute_url()),
        },
        "publisher": {
            "@type": "Organization",
            "name": site.site_name,
            "url": home,
            "logo": {
                "@type": "ImageObject",
                "url": absolute_url(static(LOGO_PATH)),
                "width": LOGO_SIZE,
                "height": LOGO_SIZE,
            },
        },
    }
    image = image_info(article, site)
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    if article.kind == Kind.VIDEO and article.video_embed_url:
        video = {
            "@type": "VideoObject",
            "name": article.title,
            "description": article.lead or article.title,
            "embedUrl": article.video_embed_url,
            "uploadDate": data["datePublished"],
        }
        if image:
            video["thumbnailUrl"] = image["url"]
        data["video"] = video
    if article.kind == Kind.INTERVIEW and article.interviewee_name:
        data["about"] = {
            "@type": "Person",
            "name": article.interviewee_name,
            "jobTitle": article.interviewee_role or None,
        }
    if article.kind == Kind.LIVE:
        data.update(live_blog_data(article, url))
    breadcrumb = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": site.site_name, "item": home},
            {
                "@type": "ListItem",
                "position": 2,
                "name": article.section.name,
                "item": absolute_url(article.section.get_absolute_url()),
            },
            {"@type": "ListItem", "position": 3, "name": article.title, "item": url},
        ],
    }
    return {"@context": "https://schema.org", "@graph": [_drop_empty(data), breadcrumb]}


# Updates listed in the structured data: the newest, as Google's guidelines suggest a bound.
LIVE_BLOG_UPDATES = 20


def _plain(body: str) -> str:
    return " ".join(html.unescape(strip_tags(body)).split())


def live_blog_data(article: Article, url: str) -> dict:
    """``LiveBlogPosting``: when the coverage started and ended, and its newest updates."""
    updates = list(article.live_updates.select_related("author").newest_first()[:LIVE_BLOG_UPDATES])
    data = {
        "coverageStartTime": article.published_at.isoformat() if article.published_at else None,
        "coverageEndTime": (
            article.coverage_ended_at.isoformat() if article.coverage_ended_at else None
        ),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{url}#update-{update.pk}",
                "url": f"{url}#update-{update.pk}",
                "headline": Truncator(_plain(update.body)).chars(110),
                "articleBody": _plain(update.body),
                "datePublished": update.posted_at.isoformat(),
                "dateModified": update.updated_at.isoformat(),
                "author": {"@type": "Person", "name": update.author.public_name},
            }
            for update in updates
        ],
    }
    if updates:
        data["dateModified"] = max(u.updated_at for u in updates).isoformat()
    return data


def _drop_empty(value):
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v not in (None, "", [])}
    return value
