"""The streaming replica (deploy/cluster/replica.py) as the tests use it: on ``REPLICA_PORT``,
skipped with the reason where it cannot be made, or failing when ``CI=true``."""

from __future__ import annotations

import os

import pytest

from deploy.cluster.replica import ReplicaUnavailable, wait_for
from deploy.cluster.replica import start_replica as _start_replica

__all__ = ["REPLICA_PORT", "skip_or_fail", "start_replica", "wait_for"]

REPLICA_PORT = 18201


def skip_or_fail(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"streaming replica required in CI: {reason}")
    pytest.skip(f"notice: no streaming replica, test skipped: {reason}")


def start_replica(primary: dict, *, port: int = REPLICA_PORT):
    """A hot standby of the ``primary`` settings dict (Django's), or skip/fail."""
    if primary.get("ENGINE") != "django.db.backends.postgresql":
        pytest.skip("notice: the replica tests need DATABASE_URL on PostgreSQL")
    try:
        return _start_replica(primary, port=port)
    except ReplicaUnavailable as exc:
        skip_or_fail(str(exc))
