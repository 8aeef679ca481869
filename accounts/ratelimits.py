"""Rate limits kept in the shared cache, so every worker and every app server counts together.

django-ratelimit does the counting: ``cache.add`` then ``cache.incr`` on one key per window,
atomic in Redis (and within one process in the local-memory cache that tests use). A limit
kept in a per-process cache would be multiplied by the number of workers, which is why
production refuses to start with one when it runs several (levant24/settings/prod.py).
"""

from django_ratelimit.core import is_ratelimited


def limit_exceeded(*, group: str, value: str | None, rate: str) -> bool:
    """Count one event for ``value`` in ``group``; True when it goes past ``rate``.

    ``rate`` is django-ratelimit's ``"<count>/<period>"``, for example ``"10/h"`` or
    ``"1/15s"``. An empty ``value`` (no client address known) is never limited.
    """
    if not value:
        return False
    return is_ratelimited(
        None, group=group, key=lambda _group, _request: value, rate=rate, increment=True
    )
