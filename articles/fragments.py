"""Cached fragments of public pages: the parts that are the same for every reader.

Signed-in readers never get a full cached page (their name, their comment form), but most
of an article page is the same for everyone: the article itself, its neighbours and related
articles, the latest news and the approved comments. Those parts are rendered once and
kept in Django's cache under the page-cache generation of ``articles.cache``, so anything
that makes cached pages stale (publishing, editing, a comment approved, rejected or edited,
a scheduled article going live) makes these fragments stale at the same moment.

Rules for what goes in a fragment: nothing about the reader (no user, no session, no
message, no form). A per-reader CSRF token inside a fragment is stored as a placeholder and
replaced with the reader's own token each time the fragment is served.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from levant24.csrf import get_token

from .cache import page_cache_state

CSRF_PLACEHOLDER = "__levant24_fragment_csrf__"


def enabled(request) -> bool:
    """Staff always get every part rendered afresh: an editor checking a correction must
    never wonder whether a cache shows the old text."""
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", True):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_staff)


def _state(request) -> tuple[str, int]:
    # Read once per request: every fragment of one page belongs to the same generation.
    state = getattr(request, "_fragment_cache_state", None)
    if state is None:
        state = page_cache_state()
        request._fragment_cache_state = state
    return state


def fragment_key(request, name: str, parts: tuple) -> str:
    generation, _ttl = _state(request)
    raw = "|".join([request.get_host(), get_language() or "", *map(str, parts)])
    return f"fragment:{generation}:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached(request, name: str, parts: tuple, build: Callable[[], Any]) -> Any:
    """The value ``build()`` returns, shared by every reader for the same ``parts``."""
    if not enabled(request):
        return build()
    key = fragment_key(request, name, parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _state(request)[1])
    return value


def with_csrf_token(request, html: str) -> SafeString:
    """A cached fragment with the reader's own CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, autoescaped


# --- Pages shared by signed-in readers -------------------------------------------------------
#
# A whole page can be kept as one fragment when what belongs to the reader is left out as
# named holes (their name in the header, their comment form) and every CSRF token is the
# placeholder. The page is stored cut at the holes, as bytes; serving it fills each hole
# for the reader and joins the pieces: one copy of the page.

_HOLE = "<!--levant24:reader:{}-->"
_HOLES = re.compile(r"<!--levant24:reader:([a-z-]+)-->|" + re.escape(CSRF_PLACEHOLDER))


def hole(name: str) -> SafeString:
    """What a template shows where the reader's own part ``name`` goes."""
    return mark_safe(_HOLE.format(name))  # noqa: S308 - a fixed HTML comment


def cut(html: str) -> list[bytes | str]:
    """``html`` as encoded pieces, with the name of each hole (``"csrf"`` for a token)
    between them."""
    parts: list[bytes | str] = []
    position = 0
    for match in _HOLES.finditer(html):
        parts.append(html[position : match.start()].encode())
        parts.append(match.group(1) or "csrf")
        position = match.end()
    parts.append(html[position:].encode())
    return parts


def holes(parts: list[bytes | str]) -> set[str]:
    return {part for part in parts if isinstance(part, str)}


def assemble(parts: list[bytes | str], values: dict[str, bytes]) -> bytes:
    return b"".join(part if isinstance(part, bytes) else values[part] for part in parts)
