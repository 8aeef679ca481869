"""Comment work done off the request path."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services


@shared_task(**RETRY_POLICY)
def moderator_digest() -> int:
    """Mail the moderators whose digest window has passed (see services). Run after a
    pending comment arrives and every minute by Celery beat."""
    return services.moderators_digest_send()
