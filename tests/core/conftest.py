import socket

import pytest
from celery import current_app

from core import outbox


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker():
    """``broker(url)`` points the Celery app at a broker (tasks no longer run in-process);
    ``broker(None)`` goes back to running them in-process. Restored after the test."""
    conf = current_app.conf
    saved = {
        name: conf[name]
        for name in (
            "task_always_eager",
            "broker_url",
            "broker_connection_timeout",
            "task_default_queue",
        )
    }

    def use(url, *, queue=None):
        if url is None:
            conf.update(task_always_eager=True)
        else:
            conf.update(task_always_eager=False, broker_url=url, broker_connection_timeout=1)
        if queue:
            conf.update(task_default_queue=queue)

    yield use
    conf.update(saved)
    outbox._state.update(down_until=0.0, backlog=False, last="unknown")
