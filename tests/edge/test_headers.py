"""The header contract: every public page is the same bytes for every reader, public for
shared caches with its purge keys, sets no cookie and does not vary on the cookie; pages
about one reader are private and never stored."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(article):
    tag_article = article
    tag_article.tags.add("دمشق")
    factories.make_comment(article=article, text="تعليق منشور للجميع")
    return article


def public_paths(article):
    tag = article.tags.first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "kind": reverse("articles:kind", args=["أخبار"]),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": reverse("articles:author", args=[article.author.username]),
        "search": reverse("articles:search") + "?q=حلب",
        "feed": reverse("articles:feed"),
        "sitemap": "/sitemap.xml",
        "news-sitemap": "/news-sitemap.xml",
        "latest": reverse("articles:latest_json"),
        "robots": "/robots.txt",
        "comment-pages": article.get_absolute_url() + "?comments=2",
    }


def readers():
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(factories.make_reader(display_name="ريم"))
    other = Client()
    other.force_login(factories.make_reader(display_name="خالد", email="khaled@example.org"))
    other.cookies["csrftoken"] = "x" * 32
    return anonymous, signed_in, other


def test_every_public_page_is_shared_alike_by_every_reader(site, settings):
    settings.PAGE_CACHE_SECONDS = 600
    clients = readers()
    for name, path in public_paths(site).items():
        bodies = []
        for client in clients:
            response = client.get(path)
            assert response.status_code == 200, name
            control = response["Cache-Control"]
            assert control.startswith("public, max-age=30, s-maxage=600"), (name, control)
            assert "stale-while-revalidate=" in control and "stale-if-error=" in control
            assert not response.cookies, (name, response.cookies)
            assert "cookie" not in response.get("Vary", "").lower(), name
            assert "site" in response["Surrogate-Key"].split(), name
            assert response["xkey"] == response["Surrogate-Key"]
            bodies.append(response.content)
        assert bodies[0] == bodies[1] == bodies[2], name
        text = bodies[0].decode()
        assert "ريم" not in text and "khaled@example.org" not in text
        assert not re.search(r'csrfmiddlewaretoken" value="[A-Za-z0-9]{32,}', text), name


def test_article_page_names_what_it_shows(site):
    keys = Client().get(site.get_absolute_url())["Surrogate-Key"].split()
    tag = site.tags.first()
    for key in (
        f"article-{site.pk}",
        f"comments-{site.pk}",
        f"section-{site.section_id}",
        f"author-{site.author_id}",
        f"tag-{tag.pk}",
        "comments-rules",
    ):
        assert key in keys


def test_not_found_is_shared_briefly(db):
    response = Client().get("/section/لا-يوجد/")
    assert response.status_code == 404
    assert "s-maxage=60," in response["Cache-Control"]


def test_a_scheduled_article_caps_how_long_pages_are_kept(article, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    factories.make_article(
        author=article.author,
        section=article.section,
        published_at=timezone.now() + timezone.timedelta(seconds=90),
    )
    control = Client().get("/")["Cache-Control"]
    seconds = int(re.search(r"s-maxage=(\d+)", control).group(1))
    assert 80 <= seconds <= 90


@pytest.mark.parametrize(
    "path",
    [
        "/comments/reader/",
        "/accounts/login/",
        "/accounts/signup/",
    ],
)
def test_pages_about_one_reader_are_private(db, path):
    response = Client().get(path)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_personal_article_pages_are_private(site):
    client = Client()
    for query in ("?replyto=1", "?c=1"):
        response = client.get(site.get_absolute_url() + query)
        assert response["Cache-Control"] == "private, no-store", query


def test_staff_preview_is_private(site):
    editor = factories.make_staff(role="editor")
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("articles:preview", args=[site.pk]))
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_public_page_that_sets_a_cookie_is_sent_private(site, monkeypatch, caplog):
    from articles import views

    original = views.ArticleDetailView.get

    def leaky(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.set_cookie("oops", "1")
        return response

    monkeypatch.setattr(views.ArticleDetailView, "get", leaky)
    response = Client().get(site.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert "about one reader" in caplog.text
