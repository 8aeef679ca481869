"""``enqueue_after_commit`` for any app's task (edge purges will use it)."""

import pytest
from celery import shared_task

from core.models import OutboxMessage
from core.tasks import RETRY_POLICY, enqueue_after_commit

pytestmark = pytest.mark.django_db

CALLS = []


@shared_task(**RETRY_POLICY)
def record_call(*args, **kwargs):
    CALLS.append((args, kwargs))
    return True


def test_any_task_runs_after_the_commit_with_its_arguments(django_capture_on_commit_callbacks):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_id = enqueue_after_commit(record_call, "article:7", 3, keys=["a", "b"])
        row = OutboxMessage.objects.get(pk=message_id)
        assert (row.task_name, row.args, row.kwargs) == (
            record_call.name,
            ["article:7", 3],
            {"keys": ["a", "b"]},
        )
        assert CALLS == []
    assert CALLS == [(("article:7", 3), {"keys": ["a", "b"]})]
    assert not OutboxMessage.objects.exists()
