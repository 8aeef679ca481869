"""The demo newsroom command: staff in their roles, one article in review, one scheduled."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Status

pytestmark = pytest.mark.django_db


def test_demo_newsroom_has_roles_review_and_scheduled_articles():
    call_command("load_demo_newsroom", stdout=StringIO())
    call_command("load_demo_newsroom", stdout=StringIO())  # twice is harmless
    users = get_user_model().objects
    assert users.get(username="journalist").groups.get().name == "journalist"
    assert users.get(username="editor").groups.get().name == "editor"
    assert users.get(username="moderator").groups.get().name == "moderator"
    assert Article.objects.filter(status=Status.REVIEW).count() == 1
    assert Article.objects.scheduled().count() == 1
    assert not Article.objects.published().exists()


def test_dry_run_saves_nothing():
    out = StringIO()
    call_command("load_demo_newsroom", "--dry-run", stdout=out)
    assert not Article.objects.exists()
    assert not get_user_model().objects.filter(username="editor").exists()
