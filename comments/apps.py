from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _forget_moderation_settings(sender, **kwargs):
    from django.core.cache import cache

    cache.delete(sender.CACHE_KEY)


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        post_save.connect(
            _forget_moderation_settings,
            sender="comments.ModerationSettings",
            dispatch_uid="comments_settings_saved",
        )
        post_delete.connect(
            _forget_moderation_settings,
            sender="comments.ModerationSettings",
            dispatch_uid="comments_settings_deleted",
        )
