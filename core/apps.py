from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Code every app shares: the task outbox and idempotency records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Background tasks")
