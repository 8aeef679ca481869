"""The transactional outbox between our database and the task broker.

``enqueue_after_commit`` writes the task as a row in the caller's transaction. Once that
transaction commits, the row is handed to the broker and deleted. If the broker cannot be
reached, the request still succeeds: the row stays and is sent later by ``drain`` (run by
the worker when it starts, every minute by Celery beat, and after the next publish that
works in this process). A task may therefore be delivered twice (a crash between publishing
and deleting the row); the tasks are written to be idempotent (see ``once``).

With ``CELERY_TASK_ALWAYS_EAGER`` (the default when no ``CELERY_BROKER_URL`` is set), the
"broker" is this process: the task runs right after the commit, in the request.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from functools import partial
from importlib import import_module

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import CompletedTask, OutboxMessage

logger = logging.getLogger(__name__)

# A failed publish stops this process from trying the broker again for this many seconds
# (settings.OUTBOX_BROKER_RETRY_SECONDS): while the broker is down each request would
# otherwise wait for a connection attempt.
BROKER_RETRY_SECONDS = 30
# Rows younger than this are left to the request that wrote them (it publishes them right
# after its commit); the drain takes the older ones.
DRAIN_MIN_AGE_SECONDS = 10
# Without a broker a failed task is run again by the next drain, this many times at most.
EAGER_MAX_ATTEMPTS = 8


class TaskFailed(Exception):
    """An eager task failed; its outbox row is kept for a later drain."""


_state = {"down_until": 0.0, "backlog": False, "last": "unknown"}


def enqueue_after_commit(task, *args, **kwargs):
    """Run ``task(*args, **kwargs)`` on the queue once the current transaction commits.

    Nothing is queued if the transaction rolls back. Arguments must be JSON values (ids,
    strings), never model instances: the task reads the current rows itself. Returns the
    outbox row's id, which is also the Celery task id.
    """
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, message), robust=True)
    return message.id


def _publish_after_commit(message: OutboxMessage) -> None:
    if publish(message) and _state["backlog"]:
        # The broker is back: hand the messages that waited to the worker.
        _state["backlog"] = False
        from .tasks import drain_outbox

        _send(drain_outbox, args=[], kwargs={}, task_id=None)


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _send(task, *, args, kwargs, task_id) -> None:
    app = current_app
    if _eager():
        result = task.apply(args=args, kwargs=kwargs, task_id=task_id)
        if not result.successful():
            # Eager runs cannot wait to retry: the row stays and the next drain runs it again.
            raise TaskFailed(f"{task.name}[{task_id}] {result.state}: {result.result!r}")
        return
    timeout = app.conf.broker_connection_timeout
    # One connection attempt, no waiting between retries: a request never sleeps on the broker.
    once_only = {"max_retries": 1, "interval_start": 0}
    with app.connection_for_write(connect_timeout=timeout, transport_options=once_only) as conn:
        task.apply_async(args=args, kwargs=kwargs, task_id=task_id, connection=conn, retry=False)


def _task(name: str):
    # The module that defines the task may not be imported yet in this process.
    import_module(name.rpartition(".")[0])
    return current_app.tasks[name]


def broker_retry_seconds() -> int:
    return getattr(settings, "OUTBOX_BROKER_RETRY_SECONDS", BROKER_RETRY_SECONDS)


def publish(message: OutboxMessage) -> bool:
    """Hand one outbox row to the broker and delete it. False (the row stays) when the
    broker cannot be reached now."""
    if not _eager() and time.monotonic() < _state["down_until"]:
        _state["backlog"] = True
        return False
    try:
        task = _task(message.task_name)
        _send(task, args=message.args, kwargs=message.kwargs, task_id=str(message.id))
    except TaskFailed as exc:
        _state["backlog"] = True
        logger.warning("task kept in the outbox: %s", exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        return False
    except Exception as exc:  # the broker is down or refuses: keep the row, try later
        _state.update(
            down_until=time.monotonic() + broker_retry_seconds(), backlog=True, last="down"
        )
        logger.warning("task %s kept in the outbox: broker unavailable: %s", message.id, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        return False
    _state.update(down_until=0.0, last="up")
    OutboxMessage.objects.filter(pk=message.pk).delete()
    return True


def drain(*, min_age_seconds: int | None = None, limit: int = 500) -> int:
    """Publish the rows that waited (the broker was down, or the process stopped between
    commit and publish). Stops at the first failure. Returns how many were published."""
    if min_age_seconds is None:
        min_age_seconds = getattr(settings, "OUTBOX_DRAIN_MIN_AGE_SECONDS", DRAIN_MIN_AGE_SECONDS)
    _state["down_until"] = 0.0  # an explicit drain always tries the broker
    cutoff = timezone.now() - timedelta(seconds=min_age_seconds)
    sent = 0
    rows = OutboxMessage.objects.filter(created_at__lte=cutoff).order_by("created_at")
    locking = connection.features.has_select_for_update_skip_locked
    # With row locks (PostgreSQL), two drains at once take different rows. Without them
    # (SQLite) no transaction is held: the worker writes while the drain publishes.
    with transaction.atomic() if locking else nullcontext():
        if locking:
            rows = rows.select_for_update(skip_locked=True)
        if _eager():
            # Run here: a task that keeps failing is left for someone to look at.
            rows = rows.filter(attempts__lt=EAGER_MAX_ATTEMPTS)
        for message in rows[:limit]:
            if publish(message):
                sent += 1
            elif not _eager():
                break  # the broker is down: the rest waits too
    if sent:
        logger.info("outbox: published %s waiting tasks", sent)
    return sent


def broker_state() -> str:
    """What this process last saw of the broker, without asking it: ``eager`` (no broker),
    ``up``, ``down`` or ``unknown`` (nothing published yet)."""
    if _eager():
        return "eager"
    return _state["last"]


def broker_ping(*, timeout: float = 1.0) -> bool:
    """Open a connection to the broker (a real round trip; not for every request)."""
    try:
        with current_app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as exc:
        logger.warning("broker check failed: %s", exc)
        return False
    return True


@contextmanager
def once(key: str):
    """``with once(key) as first:`` runs its body only the first time for ``key``.

    The key is stored in the same transaction as the body's writes: if the body raises, the
    key is gone and a retry runs it again; once it succeeded, a repeat does nothing.
    """
    with transaction.atomic():
        _record, first = CompletedTask.objects.get_or_create(key=key[:250])
        yield first


def forget_completed(*, older_than_days: int = 14) -> int:
    """Idempotency records are needed only while a message can still come back."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return CompletedTask.objects.filter(done_at__lt=cutoff).delete()[0]
