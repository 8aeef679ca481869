from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        # Who gets the "comment waiting" emails: a user saved or deleted, or their groups
        # changed. (A group renamed or deleted through the admin is rare: one minute.)
        from django.contrib.auth import get_user_model

        from . import edge, services

        edge.connect_signals()

        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                services.forget_moderator_emails,
                sender=settings.AUTH_USER_MODEL,
                dispatch_uid=f"comments_moderator_emails_user_{name}",
            )
        m2m_changed.connect(
            services.forget_moderator_emails,
            sender=get_user_model().groups.through,
            dispatch_uid="comments_moderator_emails_groups",
        )
