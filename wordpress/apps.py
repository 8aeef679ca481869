from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Moving a WordPress site in: its export read, its posts, people and comments written
    through the other apps. It sits above them all (it may import articles, comments and
    redirects; none of them imports it)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "wordpress"
    verbose_name = _("WordPress import")
