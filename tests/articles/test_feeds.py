"""RSS feeds, sitemaps and robots.txt: valid XML, public articles only, no email."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import KIND_SLUGS, Kind, Status
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def png_upload(name="photo.png", size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def public_and_hidden(db):
    author = make_author(email="writer@example.com", username="writer")
    section = make_section(name="سوريا", slug="سوريا")
    public = make_article(
        title="خبر منشور", author=author, section=section, tags=["حلب"], image=png_upload()
    )
    analysis = make_article(title="تحليل منشور", author=author, section=section, kind=Kind.ANALYSIS)
    make_article(title="مسودة سرية", author=author, section=section, status=Status.DRAFT)
    make_article(
        title="خبر مجدول",
        author=author,
        section=section,
        published_at=timezone.now() + timedelta(hours=5),
        tags=["مخفي"],
    )
    return public, analysis


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "@" not in body, "no email address may appear"
    return ET.fromstring(response.content), body


def item_titles(root):
    return [item.findtext("title") for item in root.iter("item")]


def test_site_feed_lists_only_public_articles_with_author_name_and_image(client, public_and_hidden):
    public, analysis = public_and_hidden
    root, body = get_xml(client, reverse("articles:feed"))
    assert item_titles(root) == ["خبر منشور", "تحليل منشور"]
    item = next(root.iter("item"))
    assert item.findtext("link").endswith(public.get_absolute_url())
    assert item.findtext("description") == public.lead
    assert item.findtext(f"{DC}creator") == "سارة الكاتبة"
    assert item.findtext("pubDate")
    assert item.find("author") is None
    image = item.find(f"{MEDIA}content")
    assert image.get("url") == "http://127.0.0.1:8000" + public.image.url
    assert image.get("type") == "image/png"
    assert (image.get("width"), image.get("height")) == ("40", "30")
    assert item.find("enclosure") is None
    assert "مسودة" not in body and "مجدول" not in body


def test_kind_feed_lists_only_that_kind(client, public_and_hidden):
    root, _ = get_xml(
        client, reverse("articles:feed_kind", kwargs={"kind_slug": KIND_SLUGS[Kind.ANALYSIS]})
    )
    assert item_titles(root) == ["تحليل منشور"]
    assert client.get("/feeds/kind/nothing/").status_code == 404
    # The four article kinds together.
    root, _ = get_xml(client, reverse("articles:feed_kind", kwargs={"kind_slug": "مقالات"}))
    assert item_titles(root) == ["تحليل منشور"]


def test_section_feed_lists_only_that_section(client, public_and_hidden):
    make_article(title="خبر من قسم آخر")
    root, _ = get_xml(client, reverse("articles:feed_section", kwargs={"slug": "سوريا"}))
    assert item_titles(root) == ["خبر منشور", "تحليل منشور"]
    assert "سوريا" in root.find("channel").findtext("title")
    assert client.get("/feeds/section/missing/").status_code == 404


def sitemap_locs(root):
    return [loc.text for loc in root.iter(f"{SM}loc")]


def test_sitemap_index_and_every_sitemap_parse_and_list_public_things(client, public_and_hidden):
    public, analysis = public_and_hidden
    index, _ = get_xml(client, "/sitemap.xml")
    parts = sitemap_locs(index)
    assert {p.rsplit("/", 1)[-1] for p in parts} == {
        "sitemap-articles.xml",
        "sitemap-sections.xml",
        "sitemap-kinds.xml",
        "sitemap-tags.xml",
        "sitemap-authors.xml",
    }
    found = {}
    for part in parts:
        root, _ = get_xml(client, part.replace("http://testserver", ""))
        found[part.rsplit("/", 1)[-1]] = root

    articles = found["sitemap-articles.xml"]
    locs = sitemap_locs(articles)
    assert len(locs) == 2
    assert locs[0].endswith(public.get_absolute_url())
    assert all(url.findtext(f"{SM}lastmod") for url in articles.iter(f"{SM}url"))

    assert sitemap_locs(found["sitemap-sections.xml"])[0].endswith(
        reverse("articles:section", kwargs={"slug": "سوريا"})
    )
    assert len(sitemap_locs(found["sitemap-kinds.xml"])) == len(Kind) + 1
    tags = sitemap_locs(found["sitemap-tags.xml"])
    # The tag only used on a scheduled article is not listed.
    assert [t.endswith(reverse("articles:tag", kwargs={"slug": "حلب"})) for t in tags] == [True]
    assert sitemap_locs(found["sitemap-authors.xml"])[0].endswith("/author/writer/")


def test_news_sitemap_lists_public_articles_of_the_last_48_hours(client):
    make_article(title="خبر حديث", published_at=timezone.now() - timedelta(hours=3))
    make_article(title="خبر قديم", published_at=timezone.now() - timedelta(hours=50))
    make_article(title="مسودة", status=Status.DRAFT)
    make_article(title="مجدول", published_at=timezone.now() + timedelta(hours=1))
    root, _ = get_xml(client, reverse("news_sitemap"))
    urls = list(root.iter(f"{SM}url"))
    assert len(urls) == 1
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "خبر حديث"
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "ليفانت 24"
    assert publication.findtext(f"{NEWS}language") == "ar"
    assert news.findtext(f"{NEWS}publication_date").startswith(
        str(timezone.localtime(timezone.now() - timedelta(hours=3)).year)
    )


def test_news_sitemap_escapes_titles(client):
    make_article(title='عنوان <b> & "اقتباس"', published_at=timezone.now() - timedelta(hours=1))
    root, _ = get_xml(client, reverse("news_sitemap"))
    assert root.find(f".//{NEWS}title").text == 'عنوان <b> & "اقتباس"'


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
