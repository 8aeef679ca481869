"""The newsroom's roles and the permissions each one holds.

This table is the contract with the roles table of README.md. Groups are kept in step with it by a
data migration and again after every ``migrate`` (``post_migrate``), so that
permissions of apps added later (the comments app) reach their role without a
manual step.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

JOURNALIST = "journalist"
EDITOR = "editor"
MODERATOR = "moderator"

ROLE_LABELS = {
    JOURNALIST: _("Journalist"),
    EDITOR: _("Editor"),
    MODERATOR: _("Moderator"),
}


def role_label(name: str) -> str:
    """The Arabic name of a role; a group outside the contract keeps its own name."""
    return str(ROLE_LABELS.get(name, name))


BREAKING_WRITE = [
    "add_breakingline",
    "change_breakingline",
    "delete_breakingline",
    "view_breakingline",
    "add_liveupdate",
    "change_liveupdate",
    "delete_liveupdate",
    "view_liveupdate",
]
ARTICLE_WRITE = ["add_article", "change_article", "delete_article", "view_article"]

# role -> {app_label: codenames}; "*" means every permission of that app.
ROLE_PERMISSIONS: dict[str, dict[str, list[str] | str]] = {
    # Object-level limits (own drafts only) are enforced by articles.admin.
    JOURNALIST: {
        "articles": [*ARTICLE_WRITE, "view_section"],
        "taggit": ["view_tag"],
    },
    EDITOR: {
        "articles": [
            *ARTICLE_WRITE,
            "publish_article",
            "add_section",
            "change_section",
            "delete_section",
            "view_section",
            *BREAKING_WRITE,
        ],
        "taggit": ["add_tag", "change_tag", "delete_tag", "view_tag"],
        # Old addresses (an imported site's permalinks) and hand-made redirects.
        "redirects": "*",
    },
    MODERATOR: {"comments": "*"},
}

ROLE_APPS = {label for table in ROLE_PERMISSIONS.values() for label in table}


def sync_roles(*, apps=global_apps) -> None:
    """Create the groups and give each exactly the permissions of the table. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, table in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permission_ids = []
        for app_label, codenames in table.items():
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if codenames != "*":
                perms = perms.filter(codename__in=codenames)
            permission_ids.extend(perms.values_list("id", flat=True))
        group.permissions.set(permission_ids)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """``post_migrate`` receiver: runs after Django created the permissions of ``sender``."""
    if sender.label in ROLE_APPS:
        sync_roles(apps=kwargs.get("apps") or global_apps)
