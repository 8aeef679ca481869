"""What queues a push: a new breaking line, and an article marked "notify" that is public.

The article and breaking-line models are the newsroom's; this app listens to their saves
(the newsroom never imports it)."""

from django.db.models.signals import post_save

from core.tasks import enqueue_after_commit


def _on_breaking_line_save(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        from .tasks import notify_breaking_line

        enqueue_after_commit(notify_breaking_line, instance.pk)


def _on_article_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.notify or not instance.is_public:
        return
    from .models import Notification
    from .tasks import notify_article

    if not Notification.objects.filter(article_id=instance.pk).exists():
        enqueue_after_commit(notify_article, instance.pk)


def connect() -> None:
    from articles.models import KIND_PROXIES, Article, BreakingLine

    post_save.connect(_on_breaking_line_save, sender=BreakingLine, dispatch_uid="push-breaking")
    for model in (Article, *KIND_PROXIES.values()):
        post_save.connect(_on_article_save, sender=model, dispatch_uid=f"push-{model.__name__}")
