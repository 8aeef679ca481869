"""Shared task plumbing. Any app wraps its slow work in a Celery task and queues it with
``enqueue_after_commit(task, *args, **kwargs)``: sent after the transaction commits, kept
in the outbox while the broker is down, never lost and never failing the request."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from . import outbox
from .outbox import enqueue_after_commit, once

__all__ = ["drain_outbox", "enqueue_after_commit", "once", "RETRY_POLICY"]

logger = logging.getLogger(__name__)

# Every task retries on failure with exponential backoff (1 s, 2 s, 4 s ... at most ten
# minutes apart, with jitter) and gives up after eight tries.
RETRY_POLICY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(ignore_result=True)
def drain_outbox():
    """Publish tasks that waited in the outbox; forget old idempotency records."""
    sent = outbox.drain()
    outbox.forget_completed()
    return sent


@worker_ready.connect
def _drain_when_worker_starts(sender=None, **kwargs):
    # Whatever waited while no broker or worker was running goes out now.
    try:
        drain_outbox.delay()
    except Exception:
        logger.exception("could not queue the outbox drain at worker start")
