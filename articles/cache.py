"""Full-page cache state: one generation marker for every cached public page.

Cached pages are stored under a key that contains the current generation. Saving or
deleting anything that a public page shows (articles, their tags, sections, site settings,
comments, a staff member's public profile) bumps the generation, so every page is fresh on the next request without
tracking which page shows what. Old entries simply age out.

Where the marker lives depends on the cache: a shared cache (Redis) holds it for every
process and machine; with the per-process local-memory cache it lives in a small file,
so that every gunicorn worker on the machine sees a bump made by another one.

Scheduled articles: each bump also records when the next scheduled article goes public.
Once that moment has passed, the next request bumps the generation itself, so a
scheduled article appears within a second of its time, without a query per request.
"""

from __future__ import annotations

import functools
import math
import os
import tempfile
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

GENERATION_KEY = "pagecache:generation"
NEXT_SCHEDULED_KEY = "pagecache:next-scheduled"
# Models whose changes can alter a public page.
INVALIDATING_MODELS = (
    "articles.Article",
    "articles.Section",
    "articles.SiteSettings",
    "taggit.Tag",
    "comments.Comment",  # connected once the comments app has its model
    # Not on any page, but read under the generation (comments.services): a new banned
    # word applies in every worker at once. Changes are rare; the pages refresh with it.
    "comments.BannedWord",
    "comments.ModerationSettings",  # closing comments changes the article pages
)
# accounts.User is not in the list: every sign-in saves last_login. Only a change to what
# an author page or byline shows bumps (``_on_user_save``).
AUTHOR_PUBLIC_FIELDS = (
    "display_name",
    "bio",
    "photo",
    "first_name",
    "last_name",
    "username",
    "is_staff",
    "is_active",
)


def _uses_shared_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache)


def _stamp_file() -> Path:
    configured = getattr(settings, "PAGE_CACHE_STAMP_FILE", None)
    if configured:
        return Path(configured)
    return _default_stamp_file(str(settings.BASE_DIR))


@functools.cache
def _default_stamp_file(base_dir: str) -> Path:
    tag = uuid.uuid5(uuid.NAMESPACE_URL, base_dir).hex[:12]
    return Path(tempfile.gettempdir()) / f"levant24-pagecache-{tag}"


# The last state read from the stamp file, with the file's identity when it was read.
# Every bump replaces the file (a new inode and modification time), so one ``stat`` per
# request tells whether the state is still current, without opening the file.
_last_read: dict[str, tuple[tuple[int, int, int], tuple[str, float]]] = {}


def _read_stamp_file() -> tuple[str, float]:
    path = _stamp_file()
    try:
        info = os.stat(path)
    except OSError:
        return "0", 0.0
    identity = (info.st_ino, info.st_mtime_ns, info.st_size)
    known = _last_read.get(str(path))
    if known is not None and known[0] == identity:
        return known[1]
    try:
        generation, _, next_at = path.read_text().partition(" ")
        state = (generation or "0", float(next_at or 0))
    except (OSError, ValueError):
        return "0", 0.0
    _last_read[str(path)] = (identity, state)
    return state


def _next_scheduled_timestamp() -> float:
    """When the next scheduled article goes public (0 when none is scheduled)."""
    from .models import Article

    when = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else 0.0


def _read_state() -> tuple[str, float]:
    if _uses_shared_cache():
        values = cache.get_many([GENERATION_KEY, NEXT_SCHEDULED_KEY])
        return str(values.get(GENERATION_KEY, "0")), float(values.get(NEXT_SCHEDULED_KEY, 0))
    return _read_stamp_file()


def _write_state(next_at: float) -> None:
    if _uses_shared_cache():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            # Missing (first use or evicted): start from the clock so that a restarted
            # counter never lands on the number of an older, still stored generation.
            cache.set(GENERATION_KEY, time.time_ns(), None)
        cache.set(NEXT_SCHEDULED_KEY, next_at, None)
        return
    path = _stamp_file()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(f"{time.time_ns()}-{uuid.uuid4().hex[:8]} {next_at}")
    os.replace(tmp, path)


def page_cache_bump() -> None:
    """Make every cached page stale at once."""
    _write_state(_next_scheduled_timestamp())


def page_cache_state() -> tuple[str, int]:
    """The current generation and how long a page stored now may live, in seconds."""
    generation, next_at = _read_state()
    ttl = int(getattr(settings, "PAGE_CACHE_SECONDS", 60))
    if next_at:
        remaining = next_at - time.time()
        if remaining <= 0:
            try:
                page_cache_bump()
            except DatabaseError:
                # Database down: keep serving what the cache holds; retried next request.
                return generation, 1
            generation, next_at = _read_state()
            remaining = next_at - time.time() if next_at else ttl
        ttl = max(1, min(ttl, math.ceil(remaining)))
    return generation, ttl


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):
        return
    page_cache_bump()
    if transaction.get_connection().in_atomic_block:
        # Bump again once the transaction commits: a request that ran between the write
        # and the commit may have stored a page built from the old rows. (Outside a
        # transaction the write is already committed: one bump is enough.)
        transaction.on_commit(page_cache_bump)


_UNKNOWN = object()


def _on_comment_change(sender, instance, created=False, **kwargs):
    # Only a comment that is public, or was until this write, changes a page: new comments
    # waiting for moderation (or a flood of spam), and rejecting, editing or deleting them,
    # must not empty the cache.
    statuses = {instance.__dict__.get("status", _UNKNOWN)}
    if not created:
        statuses.add(getattr(instance, "_stored_status", _UNKNOWN))
    if kwargs.get("signal") is post_save:
        instance._stored_status = instance.__dict__.get("status", _UNKNOWN)
    if statuses & {"approved", _UNKNOWN}:
        _on_change(sender, **kwargs)


def _user_public_values(values: dict) -> dict:
    return {name: str(values.get(name) or "") for name in AUTHOR_PUBLIC_FIELDS}


def _on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note whether this save changes a staff account's public profile (one query at most)."""
    instance._public_profile_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(AUTHOR_PUBLIC_FIELDS):
        return  # a sign-in saving last_login, a password change: no query, no bump
    old = sender._default_manager.filter(pk=instance.pk).values(*AUTHOR_PUBLIC_FIELDS).first()
    if old is None or not (old["is_staff"] or instance.is_staff):
        return  # readers have no public profile
    new = {name: getattr(instance, name) for name in AUTHOR_PUBLIC_FIELDS}
    new["photo"] = instance.photo.name if instance.photo else ""
    instance._public_profile_changed = _user_public_values(old) != _user_public_values(new)


def _on_user_save(sender, instance, **kwargs):
    if getattr(instance, "_public_profile_changed", False):
        instance._public_profile_changed = False
        _on_change(sender, **kwargs)


def _on_tags_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _on_change(sender, **kwargs)


def connect_signals() -> None:
    """Called from ``ArticlesConfig.ready``; models of apps that lack them are skipped."""
    for label in INVALIDATING_MODELS:
        app_label, model_name = label.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        uid = f"pagecache-{label}"
        receiver = _on_comment_change if label == "comments.Comment" else _on_change
        post_save.connect(receiver, sender=label, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=label, dispatch_uid=f"{uid}-delete")
    user = settings.AUTH_USER_MODEL
    pre_save.connect(_on_user_pre_save, sender=user, dispatch_uid="pagecache-user-pre-save")
    post_save.connect(_on_user_save, sender=user, dispatch_uid="pagecache-user-save")
    article = apps.get_model("articles", "Article")
    m2m_changed.connect(
        _on_tags_changed, sender=article.tags.through, dispatch_uid="pagecache-article-tags"
    )
