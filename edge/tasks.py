"""Purges as tasks: an edge (or CDN API) that is down never fails an editor's save, and
the purge is retried with backoff until the edge answers."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import purge


@shared_task(**RETRY_POLICY)
def purge_keys(keys: list[str]) -> None:
    purge.send(keys)  # PurgeFailed: retried by the policy
