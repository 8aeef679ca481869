"""Read replica routing with read-your-writes.

Reads go to ``replica`` when it is configured, writes always to ``default`` (the primary).
Reads stay on the primary when:

- the request is a write (any method but GET/HEAD/OPTIONS), an admin page, or comes from a
  browser that wrote something in the last ``DATABASE_PIN_SECONDS`` (a signed cookie set on
  the response to the write, see ``PrimaryPinMiddleware``); the middleware says so through a
  context variable the router reads;
- the model belongs to sessions, accounts, sign-in lockouts or two-factor devices
  (``DATABASE_PRIMARY_APPS``): a reader who just signed in must not look signed out because
  the replica has not caught up yet;
- a transaction is open on the primary (code that writes and then reads sees its writes);
- the replica lags more than ``DATABASE_REPLICA_MAX_LAG`` seconds or cannot be reached
  (measured at most once per ``DATABASE_REPLICA_LAG_CHECK_SECONDS`` in each process; once
  it could not be reached, not tried again for ``DATABASE_REPLICA_RETRY_SECONDS``, so a
  replica that stopped answering costs one connection attempt per process now and then,
  not a timeout on every request).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import connections
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

REPLICA = "replica"

# True while handling a request whose reads must see the primary.
_use_primary: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "levant24_use_primary", default=False
)


@contextlib.contextmanager
def primary_reads(enabled: bool = True):
    """Within the block, every read goes to the primary (when ``enabled``)."""
    token = _use_primary.set(enabled or _use_primary.get())
    try:
        yield
    finally:
        _use_primary.reset(token)


def start_primary_reads() -> contextvars.Token:
    """Send reads to the primary until ``stop_primary_reads(token)`` (for code that cannot
    use a ``with`` block, such as a task's start and end signals)."""
    return _use_primary.set(True)


def stop_primary_reads(token: contextvars.Token) -> None:
    _use_primary.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


# --- Replica lag ---------------------------------------------------------------------------

# PostgreSQL, asked on the replica: 0 when it has replayed everything it received and is
# still receiving (an idle primary makes the last replay time old without any lag); the age
# of the last replayed transaction otherwise; -1 when it is not a standby at all.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN -1
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9)
END
"""

_lag_state = {"checked": -1e9, "lag": None}


def measure_replica_lag() -> float | None:
    """Seconds the replica is behind the primary, or None when it cannot be reached."""
    connection = connections[REPLICA]
    try:
        if connection.vendor != "postgresql":
            return 0.0  # test mirrors (SQLite): the same database
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError as exc:
        logger.warning("replica unavailable, reading from the primary error=%s", exc)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return None
    return max(lag, 0.0)


def replica_lag() -> float | None:
    """``measure_replica_lag()``, remembered for ``DATABASE_REPLICA_LAG_CHECK_SECONDS``, or
    for ``DATABASE_REPLICA_RETRY_SECONDS`` when the replica could not be reached."""
    now = time.monotonic()
    if _lag_state["lag"] is None:
        wait = max(
            settings.DATABASE_REPLICA_LAG_CHECK_SECONDS, settings.DATABASE_REPLICA_RETRY_SECONDS
        )
    else:
        wait = settings.DATABASE_REPLICA_LAG_CHECK_SECONDS
    if now - _lag_state["checked"] >= wait:
        _lag_state["lag"] = measure_replica_lag()
        _lag_state["checked"] = time.monotonic()
    return _lag_state["lag"]


def forget_replica_lag() -> None:
    _lag_state.update(checked=-1e9, lag=None)


def replica_usable() -> bool:
    lag = replica_lag()
    return lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return "default"
        if _use_primary.get() or connections["default"].in_atomic_block:
            return "default"
        if model._meta.app_label in settings.DATABASE_PRIMARY_APPS:
            return "default"
        if not replica_usable():
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same database, one of them a copy of the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


# --- Read-your-writes: the pin cookie --------------------------------------------------------

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
PIN_SALT = "levant24.db_router.pin"


class PrimaryPinMiddleware:
    """Sends the reads of writes, admin pages and recent writers to the primary.

    The response to a write (any method but GET/HEAD/OPTIONS) carries a signed cookie valid
    for ``DATABASE_PIN_SECONDS``; while it is valid, that browser reads from the primary and
    sees what it just wrote even if the replica lags. Public GET pages never set it, so they
    stay free of cookies and cacheable at the edge. Without a replica nothing is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        write = request.method not in SAFE_METHODS
        primary = (
            write or request.path.startswith(settings.ADMIN_URL_PREFIX) or self._pinned(request)
        )
        with primary_reads(primary):
            response = self.get_response(request)
        if write and settings.DATABASE_PIN_SECONDS > 0:
            response.set_signed_cookie(
                settings.DATABASE_PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.DATABASE_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _pinned(request) -> bool:
        if settings.DATABASE_PIN_COOKIE not in request.COOKIES:
            return False
        value = request.get_signed_cookie(
            settings.DATABASE_PIN_COOKIE,
            default=None,
            salt=PIN_SALT,
            max_age=settings.DATABASE_PIN_SECONDS,
        )
        return value == "1"
