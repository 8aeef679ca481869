"""A Redis cache that degrades to "no cache" while Redis cannot be reached.

Django's ``RedisCache`` raises on a refused or timed-out connection, which would turn a
cache outage into a site outage: every page reads the page cache first. Here a read
answers as a miss and a write is dropped, so pages are built from the database until
Redis is back; the client reconnects by itself on the next call.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY_SECONDS = 10.0
_last_logged = 0.0


def _log_outage(exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("cache unavailable, serving without it: %s", exc)


def _degrade(fallback):
    """Run the cache call; on a connection error log (at most every 10 s) and return
    ``fallback(*args, **kwargs)`` instead."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                _log_outage(exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _missing_counter(*args, **kwargs):
    # What Django raises for a missing key: callers already fall back to set().
    raise ValueError("cache unavailable")


class TolerantRedisCache(RedisCache):
    """``RedisCache`` with short socket timeouts whose failures read as cache misses."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        params["OPTIONS"].setdefault("socket_connect_timeout", 0.5)
        params["OPTIONS"].setdefault("socket_timeout", 0.5)
        super().__init__(server, params)

    get = _degrade(_default)(RedisCache.get)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    set = _degrade(lambda *a, **k: None)(RedisCache.set)
    set_many = _degrade(lambda *a, **k: [])(RedisCache.set_many)
    # An add that cannot be stored reports success, so rate limits fail open, not shut.
    add = _degrade(lambda *a, **k: True)(RedisCache.add)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _degrade(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _degrade(_missing_counter)(RedisCache.incr)
    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)
