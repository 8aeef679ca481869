"""The newsroom roles: created by migration, idempotent, moderators follow the comments app."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.roles import ROLE_PERMISSIONS, sync_roles, sync_roles_after_migrate

pytestmark = pytest.mark.django_db


def perms(name):
    return set(
        Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    )


def test_migration_created_the_three_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_PERMISSIONS)
    assert ("articles", "publish_article") in perms("editor")
    assert ("articles", "add_article") in perms("journalist")


def test_sync_is_idempotent():
    before = {name: perms(name) for name in ROLE_PERMISSIONS}
    sync_roles()
    sync_roles()
    assert {name: perms(name) for name in ROLE_PERMISSIONS} == before
    assert Group.objects.filter(name="editor").count() == 1


def test_sync_restores_a_removed_permission():
    Group.objects.get(name="journalist").permissions.clear()
    sync_roles()
    assert ("articles", "change_article") in perms("journalist")


def test_moderator_gets_every_permission_of_the_comments_app_and_nothing_else():
    comment_perms = set(
        Permission.objects.filter(content_type__app_label="comments").values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("comments", "change_comment") in comment_perms
    assert perms("moderator") == comment_perms


def test_moderator_picks_up_permissions_added_to_the_comments_app_later():
    content_type = ContentType.objects.get(app_label="comments", model="bannedword")
    Permission.objects.create(codename="ban_bannedword", name="y", content_type=content_type)
    sync_roles_after_migrate(sender=apps.get_app_config("comments"))
    assert ("comments", "ban_bannedword") in perms("moderator")
    assert all(app == "comments" for app, _codename in perms("moderator"))
