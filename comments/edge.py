"""Purging the comment sections of article pages when what readers see of them changes.

A comment is on a public page only while it is approved: approving, unapproving, editing,
featuring or deleting one purges its article's ``comments-<id>`` key. Comments that wait
for a moderator, or a flood of spam, purge nothing. Changing the moderation rules (they
decide whether the form is shown) purges every comment section.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from edge.purge import purge

from .models import BannedWord, Comment, ModerationSettings, Status

_UNKNOWN = object()


def _on_comment_change(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    statuses = {instance.__dict__.get("status", _UNKNOWN)}
    if not created:
        statuses.add(getattr(instance, "_stored_status", _UNKNOWN))
    instance._stored_status = instance.__dict__.get("status", _UNKNOWN)
    if statuses & {Status.APPROVED, _UNKNOWN}:
        purge({f"comments-{instance.article_id}"})


def _on_rules_change(sender, instance, raw=False, **kwargs):
    cache.delete(ModerationSettings.CACHE_KEY)
    if not raw:
        purge({"comments-rules"})


def _on_banned_word_change(sender, **kwargs):
    from .services import BANNED_WORDS_KEY

    cache.delete(BANNED_WORDS_KEY)


def connect_signals() -> None:
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(_on_comment_change, sender=Comment, dispatch_uid=f"edge-comment-{name}")
        signal.connect(
            _on_rules_change, sender=ModerationSettings, dispatch_uid=f"edge-rules-{name}"
        )
        signal.connect(
            _on_banned_word_change, sender=BannedWord, dispatch_uid=f"edge-banned-{name}"
        )
