"""Pushes are sent by the queue: the editor's save returns at once, and each batch of
subscriptions is its own task (a slow push service delays one batch, not the others)."""

from celery import shared_task

from core.tasks import RETRY_POLICY, enqueue_after_commit

from . import services


def _fan_out(notification) -> int:
    batches = services.notification_batches(notification=notification)
    for ids in batches:
        enqueue_after_commit(send_batch, notification.pk, ids)
    return len(batches)


@shared_task(**RETRY_POLICY)
def notify_breaking_line(line_id: int) -> int:
    notification = services.notification_for_breaking_line(line_id=line_id)
    return _fan_out(notification) if notification else 0


@shared_task(**RETRY_POLICY)
def notify_article(article_id: int) -> int:
    notification = services.notification_for_article(article_id=article_id)
    return _fan_out(notification) if notification else 0


@shared_task(ignore_result=True)
def notify_due_articles() -> int:
    """Run every minute by Celery beat: scheduled articles marked "notify" whose time came."""
    return sum(notify_article(pk) for pk in services.articles_due())


# Not retried: a batch sent again would notify the browsers it reached the first time.
# Each failure is counted on its subscription instead.
@shared_task(ignore_result=True)
def send_batch(notification_id: int, subscription_ids: list[int]) -> dict:
    return services.batch_send(notification_id=notification_id, subscription_ids=subscription_ids)
