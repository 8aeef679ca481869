"""Tags as typed on an Arabic keyboard, and the repair of tags saved before that."""

import importlib

import pytest
from django.apps import apps
from taggit.models import Tag, TaggedItem

from articles.models import Status
from articles.tagging import edit_string_for_tags, parse_tags
from tests import factories
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

repair = importlib.import_module("articles.migrations.0009_repair_tags_with_separators")


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("دمشق، معارض", ["دمشق", "معارض"]),
        ("دمشق,معارض", ["دمشق", "معارض"]),
        ("دمشق؛ معارض", ["دمشق", "معارض"]),
        ("دمشق; معارض", ["دمشق", "معارض"]),
        ("  حلب القديمة ،  أسواق  ", ["أسواق", "حلب القديمة"]),
        ("دمشق،", ["دمشق"]),
        ("دمشق، دمشق ،دمشق", ["دمشق"]),
        ("حلب   القديمة", ["حلب القديمة"]),
        ('"سوريا"، ،، ؛', ["سوريا"]),
        ("", []),
    ],
)
def test_tags_split_on_arabic_and_latin_commas_and_semicolons(typed, tags):
    assert parse_tags(typed) == tags


def test_the_form_shows_tags_joined_with_the_arabic_comma():
    article = factories.make_article(tags=["دمشق", "معارض"])
    assert edit_string_for_tags(article.tags.all()) == "دمشق، معارض"


def test_journalist_types_tags_with_the_arabic_comma_in_the_admin(client):
    journalist = factories.make_staff(role="journalist", username="layla")
    article = factories.make_article(author=journalist, status=Status.DRAFT, published_at=None)
    client.force_login(journalist)
    data = form_data(client, article, tags="دمشق، معارض؛ حلب القديمة, اقتصاد")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["اقتصاد", "حلب القديمة", "دمشق", "معارض"]
    html = client.get(change_url(article)).content.decode()
    assert "اقتصاد، حلب القديمة، دمشق، معارض" in html


def test_repair_migration_cleans_names_and_merges_duplicates():
    first = factories.make_article(title="الأول")
    second = factories.make_article(title="الثاني")
    clean = Tag.objects.create(name="دمشق", slug="دمشق")
    broken = Tag.objects.create(name="دمشق،", slug="دمشق-2")
    lonely = Tag.objects.create(name=" معارض؛ ", slug="معارض")
    only_commas = Tag.objects.create(name="،", slug="فاصلة")
    first.tags.add(clean, broken, only_commas)
    second.tags.add(broken, lonely)

    repair.repair_tags(apps, None)

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["دمشق", "معارض"]
    assert sorted(first.tags.names()) == ["دمشق"]
    assert sorted(second.tags.names()) == ["دمشق", "معارض"]
    assert not Tag.objects.filter(pk__in=[broken.pk, only_commas.pk]).exists()
    lonely.refresh_from_db()
    assert lonely.name == "معارض"
    # No tagged row points at a tag that is gone, and none is doubled.
    assert TaggedItem.objects.filter(object_id=first.pk, tag=clean).count() == 1


def test_repair_migration_leaves_good_tags_alone():
    tag = Tag.objects.create(name="حلب القديمة", slug="حلب-القديمة")
    repair.repair_tags(apps, None)
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("حلب القديمة", "حلب-القديمة")
