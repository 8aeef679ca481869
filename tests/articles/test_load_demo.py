from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands, load_command_class

from articles.models import Article, Kind, Section, SiteSettings, Status

pytestmark = pytest.mark.django_db


def run_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("slug", "status")),
        "sections": Section.objects.count(),
        "users": get_user_model().objects.count(),
        "tags": sorted(Article.tags.through.objects.values_list("object_id", "tag_id")),
    }


def test_load_demo_builds_a_newsroom_and_is_idempotent(_media_root):
    output = run_demo()
    first = snapshot()
    output_again = run_demo()
    assert snapshot() == first
    assert "(0 created by this run)" in output_again

    published = Article.objects.published()
    assert published.count() >= 30
    assert set(published.values_list("kind", flat=True)) == set(Kind.values)
    assert Section.objects.count() >= 4
    assert Article.objects.filter(status=Status.DRAFT).exists()
    assert Article.objects.filter(status=Status.REVIEW).exists()
    assert Article.objects.scheduled().exists()
    assert published.filter(is_lead=True).count() == 1
    assert published.filter(kind=Kind.INTERVIEW).exclude(interviewee_name="").exists()
    assert all(a.video_embed_url for a in published.filter(kind=Kind.VIDEO))
    assert not published.filter(kind=Kind.INFOGRAPHIC, image="").exists()
    assert Article.tags.through.objects.count() > 30
    bodies = "".join(published.values_list("body", flat=True))
    assert "<h2>" in bodies and "<blockquote>" in bodies and "<ul>" in bodies

    with_image = published.exclude(image="").first()
    assert (Path(_media_root) / with_image.image.name).is_file()
    assert with_image.image_credit
    # The size is stored (loading the article does not have to open the file to learn it).
    stored = published.exclude(image="").values_list("image_width", "image_height")
    assert all(width and height for width, height in stored)

    site = SiteSettings.objects.get(pk=1)
    assert site.about and site.social_links

    users = get_user_model().objects
    for username, group in [
        ("journalist", "journalist"),
        ("editor", "editor"),
        ("moderator", "moderator"),
    ]:
        user = users.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.display_name and user.bio and user.photo
        assert user.check_password(f"levant24-{username}")
        assert f"{username} / levant24-{username}" in output
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.check_password("levant24-admin")


def test_load_demo_keeps_edits_made_by_the_site_admin(_media_root):
    run_demo()
    SiteSettings.objects.filter(pk=1).update(about="نص كتبه المدير.")
    run_demo()
    assert SiteSettings.objects.get(pk=1).about == "نص كتبه المدير."


def test_load_demo_has_help():
    command = load_command_class(get_commands()["load_demo"], "load_demo")
    assert "idempotent" in command.help or "again" in command.help


def test_demo_site_pages_render_in_arabic_without_english(client, _media_root):
    from django.urls import reverse

    from articles.models import KIND_SLUGS
    from tests.articles.test_views import assert_no_english

    run_demo()
    published = Article.objects.published()
    urls = [reverse("articles:home"), reverse("articles:kind", args=["مقالات"])]
    urls += [reverse("articles:kind", args=[slug]) for slug in KIND_SLUGS.values()]
    urls += [s.get_absolute_url() for s in Section.objects.all()]
    urls += [published.filter(kind=kind).first().get_absolute_url() for kind in Kind.values]
    urls += [u.get_absolute_url() for u in get_user_model().objects.filter(username="columnist")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        assert_no_english(html)
