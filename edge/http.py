"""How a response tells the edge (Varnish, a CDN) and browsers whether to keep it.

A public page is the same bytes for every reader. The view that builds it names what it
shows as purge keys (``article-12``, ``home``...) and calls :func:`share`; the
:class:`~edge.middleware.EdgeHeadersMiddleware` then writes the headers once the response is
complete, or refuses to when something about one reader slipped into it (a cookie, a
``Vary: Cookie``, a part that called :func:`keep_private`). Everything else is private.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

# The names the edges read: Fastly and our VCL read ``Surrogate-Key``; Varnish's xkey
# module reads ``xkey``. Both carry the same space-separated keys.
KEY_HEADERS = ("Surrogate-Key", "xkey")

_SHARED_ATTR = "edge_shared"
_PRIVATE_ATTR = "edge_private"


def share(request, *, keys: Iterable[str], seconds: int | None = None) -> None:
    """Mark the page being answered for ``request`` as public, tagged with ``keys``.

    ``seconds`` bounds how long a shared cache may keep it (never past ``PAGE_CACHE_SECONDS``).
    Calling it twice adds keys and keeps the shorter lifetime.
    """
    state = getattr(request, _SHARED_ATTR, None) or {"keys": set(), "seconds": None}
    state["keys"].update(keys)
    if seconds is not None:
        current = state["seconds"]
        state["seconds"] = seconds if current is None else min(current, seconds)
    setattr(request, _SHARED_ATTR, state)


def add_keys(request, *, keys: Iterable[str], seconds: int | None = None) -> None:
    """Like :func:`share`, for a part of a page: only when the page is shared at all."""
    if getattr(request, _SHARED_ATTR, None) is not None:
        share(request, keys=keys, seconds=seconds)


def keep_private(request) -> None:
    """Something about this reader is in the page: no shared cache may keep it."""
    setattr(request, _PRIVATE_ATTR, True)


def shared_state(request) -> dict | None:
    if getattr(request, _PRIVATE_ATTR, False):
        return None
    return getattr(request, _SHARED_ATTR, None)


def public_cache_control(seconds: int) -> str:
    """Browsers revalidate after ``EDGE_BROWSER_SECONDS`` (cheap 304s from the edge); the
    edge keeps the page ``seconds`` and may serve it a little stale while it refetches, or
    much longer when the origin fails."""
    browser = min(settings.EDGE_BROWSER_SECONDS, seconds)
    return (
        f"public, max-age={browser}, s-maxage={seconds}, "
        f"stale-while-revalidate={settings.EDGE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.EDGE_STALE_IF_ERROR}"
    )


PRIVATE_CACHE_CONTROL = "private, no-store"
