"""Page metadata: title, description, canonical, OpenGraph, Twitter card, JSON-LD."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from articles.models import Article, Kind
from articles.seo import SCHEMA_TYPES
from tests.articles.test_feeds import png_upload
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}
        self.meta_all = []
        self.links = {}
        self.json_ld = []
        self.title = ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
                self.meta_all.append((key, attrs.get("content")))
        elif tag == "link" and attrs.get("rel") in ("canonical", "prev", "next"):
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize(
    "url_name",
    ["home", "section", "kind", "tag", "author", "search", "detail"],
)
def test_every_page_has_title_description_and_canonical(client, url_name):
    author = make_author(username="writer")
    section = make_section(name="اقتصاد", slug="اقتصاد")
    article = make_article(author=author, section=section, tags=["نفط"])
    url = {
        "home": reverse("articles:home"),
        "section": reverse("articles:section", kwargs={"slug": "اقتصاد"}),
        "kind": reverse("articles:kind", kwargs={"kind_slug": "أخبار"}),
        "tag": reverse("articles:tag", kwargs={"slug": "نفط"}),
        "author": reverse("articles:author", kwargs={"username": "writer"}),
        "search": reverse("articles:search") + "?q=نفط",
        "detail": article.get_absolute_url(),
    }[url_name]
    head = head_of(client, url)
    assert head.title.strip()
    assert head.meta["description"].strip()
    assert head.links["canonical"] == "http://127.0.0.1:8000" + url.split("?")[0]
    assert head.meta["og:url"] == head.links["canonical"]


def test_search_page_is_not_indexed(client):
    assert head_of(client, reverse("articles:search") + "?q=x").meta["robots"] == "noindex, follow"


def test_listing_pages_link_prev_next_and_canonical_per_page(client):
    section = make_section(name="العالم", slug="العالم")
    for _ in range(30):
        make_article(section=section)
    base = "http://127.0.0.1:8000" + reverse("articles:section", kwargs={"slug": "العالم"})
    first = head_of(client, base + "?utm_source=x")
    assert first.links == {"canonical": base, "next": base + "?page=2"}
    second = head_of(client, base + "?page=2")
    assert second.links == {
        "canonical": base + "?page=2",
        "prev": base,
        "next": base + "?page=3",
    }
    last = head_of(client, base + "?page=3")
    assert last.links == {"canonical": base + "?page=3", "prev": base + "?page=2"}


def test_article_page_has_opengraph_and_twitter_card(client):
    article = make_article(
        title="افتتاح معبر حدودي", tags=["معابر", "حدود"], image=png_upload(size=(64, 48))
    )
    head = head_of(client, article.get_absolute_url())
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "افتتاح معبر حدودي"
    assert head.meta["og:image"] == "http://127.0.0.1:8000" + article.image.url
    assert head.meta["og:image:width"] == "64"
    assert head.meta["og:image:height"] == "48"
    assert head.meta["article:published_time"] == localtime(article.published_at).isoformat()
    assert head.meta["article:modified_time"] == localtime(article.updated_at).isoformat()
    assert head.meta["article:section"] == article.section.name
    assert sorted(v for k, v in head.meta_all if k == "article:tag") == ["حدود", "معابر"]
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]


def json_ld_of(client, article):
    head = head_of(client, article.get_absolute_url())
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    assert data["@context"] == "https://schema.org"
    article_data, breadcrumb = data["@graph"]
    return article_data, breadcrumb


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Kind.NEWS, "NewsArticle"),
        (Kind.ANALYSIS, "AnalysisNewsArticle"),
        (Kind.OPINION, "OpinionNewsArticle"),
        (Kind.DEEP_DIVE, "BackgroundNewsArticle"),
        (Kind.INTERVIEW, "NewsArticle"),
        (Kind.INFOGRAPHIC, "NewsArticle"),
        (Kind.VIDEO, "NewsArticle"),
    ],
)
def test_json_ld_has_the_type_and_fields_for_each_kind(client, kind, schema_type):
    author = make_author(username="columnist", display_name="كاتب العمود")
    article = make_article(kind=kind, author=author, image=png_upload(size=(80, 60)))
    data, breadcrumb = json_ld_of(client, article)
    assert data["@type"] == schema_type == SCHEMA_TYPES[kind]
    assert data["headline"] == article.title
    assert data["image"]["url"] == "http://127.0.0.1:8000" + article.image.url
    assert (data["image"]["width"], data["image"]["height"]) == (80, 60)
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["author"] == {
        "@type": "Person",
        "name": "كاتب العمود",
        "url": "http://127.0.0.1:8000/author/columnist/",
    }
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "ليفانت 24"
    assert data["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert breadcrumb["@type"] == "BreadcrumbList"
    names = [item["name"] for item in breadcrumb["itemListElement"]]
    assert names == ["ليفانت 24", article.section.name, article.title]
    assert [item["position"] for item in breadcrumb["itemListElement"]] == [1, 2, 3]


def test_video_json_ld_describes_the_player(client):
    article = make_article(kind=Kind.VIDEO, video_url="https://youtu.be/abc123")
    data, _ = json_ld_of(client, article)
    assert data["video"]["@type"] == "VideoObject"
    assert data["video"]["embedUrl"] == "https://www.youtube-nocookie.com/embed/abc123"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    title = 'عنوان </script><script>alert(1)</script> & "اقتباس"'
    article = make_article(title=title)
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e" in block
    data, breadcrumb = json_ld_of(client, article)
    assert data["headline"] == title
    assert "<script>alert(1)" not in html
    assert "@example.com" not in html


def test_modified_time_is_never_before_the_publish_time(client):
    """An article saved, then scheduled to go public later, was not modified before it went out."""
    article = make_article(title="مقال مجدول سابقاً")
    Article.objects.filter(pk=article.pk).update(
        updated_at=article.published_at - timedelta(days=2)
    )
    article.refresh_from_db()
    head = head_of(client, article.get_absolute_url())
    assert head.meta["article:modified_time"] == localtime(article.published_at).isoformat()
    data, _ = json_ld_of(client, article)
    assert data["dateModified"] == data["datePublished"] == article.published_at.isoformat()


def test_article_without_a_picture_uses_the_site_social_image(client):
    """OpenGraph, the Twitter card and JSON-LD fall back to SiteSettings.social_image."""
    from tests.factories import make_site_settings

    site = make_site_settings(site_name="ليفانت 24")
    site.social_image = png_upload(size=(120, 63))
    site.save()
    article = make_article(title="خبر بلا صورة")
    head = head_of(client, article.get_absolute_url())
    expected = "http://127.0.0.1:8000" + site.social_image.url
    assert head.meta["og:image"] == expected
    assert head.meta["og:image:width"] == "120"
    assert head.meta["og:image:height"] == "63"
    assert head.meta["twitter:image"] == expected
    article_data, _ = json_ld_of(client, article)
    assert article_data["image"]["url"] == expected
    assert (article_data["image"]["width"], article_data["image"]["height"]) == (120, 63)


def test_article_own_picture_wins_over_the_site_social_image(client):
    from tests.factories import make_site_settings

    site = make_site_settings()
    site.social_image = png_upload(size=(120, 63))
    site.save()
    article = make_article(image=png_upload(size=(64, 48)))
    head = head_of(client, article.get_absolute_url())
    assert head.meta["og:image"] == "http://127.0.0.1:8000" + article.image.url


def test_without_any_picture_there_is_no_image(client):
    article = make_article(title="خبر بلا صورة")
    head = head_of(client, article.get_absolute_url())
    assert "og:image" not in head.meta
    article_data, _ = json_ld_of(client, article)
    assert "image" not in article_data
