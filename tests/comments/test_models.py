import importlib

import pytest
from django.apps import apps

from comments.models import Comment
from tests import factories


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("أحمد الساعور", "أس"),
        ("الحسن البصري", "حب"),
        ("منى سليمان", "مس"),
        ("Ahmad al-Saour", "AA"),
        ("آل", "آ"),
        ("ال", "ا"),
        ("!!", "؟"),
    ],
)
def test_initials_skip_the_arabic_article(name, initials):
    assert Comment(name=name).initials == initials


@pytest.mark.django_db
def test_migration_renders_approved_comments_again():
    article = factories.make_article()
    approved = factories.make_comment(article=article, name="أحمد الساعور")
    pending = factories.make_comment(article=article, name="سعيد العلي", status="pending")
    Comment.objects.filter(pk__in=[approved.pk, pending.pk]).update(html="<p>old</p>")

    migration = importlib.import_module("comments.migrations.0007_rerender_comment_html_initials")
    migration.rerender(apps, None)

    approved.refresh_from_db()
    pending.refresh_from_db()
    assert ">أس</span>" in approved.html
    assert f'id="comment-{approved.pk}"' in approved.html
    assert pending.html == "<p>old</p>"
