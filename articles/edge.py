"""What each public page of the newsroom shows, as purge keys, and the hooks that purge them.

A page names the objects it shows (``edge.http.share``); a change purges the keys of what
changed (``edge.purge.purge``), after the transaction commits. Two families of keys:

``article-12``, ``section-3``, ``tag-8``, ``author-5``, ``site``
    An object as displayed: its title, name, photo... Every page that shows it carries
    the key, so an edit purges exactly those pages.
``neighbours-12``
    The "previous / next article" links of article 12's page, which change when an
    article is published or unpublished beside it.
``list-home``, ``list-section-3``, ``list-kind-news``, ``list-tag-8``, ``list-author-5``,
``list-latest``, ``list-feed``, ``list-sitemap``, ``list-search``
    Which articles a list holds. Publishing, unpublishing, scheduling or moving an article
    purges the lists it leaves and joins, and nothing else: an unrelated article page stays
    in the edge.

The small "latest news" sidebar of article pages carries no list key on purpose: a new
article would otherwise purge every article page of the site. It is at most
``PAGE_CACHE_SECONDS`` old. Comments have their own key (``comments-12``) in
``comments.edge``.

Scheduled articles go public with no purge at all: no page is kept by the edge past the
next scheduled publish time (:func:`seconds_until_next_publish`).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from edge.http import share
from edge.purge import purge

SITE = "site"
# The breaking strip's endpoint (articles.live_views.breaking_json).
BREAKING_KEY = "breaking"
# Every list an article appears in whatever its section, kind, tags and author.
GLOBAL_LISTS = ("list-home", "list-latest", "list-feed", "list-sitemap", "list-search")
NEXT_PUBLISH_KEY = "articles:next-publish-at"
NEXT_PUBLISH_SECONDS = 10


def article_keys(article_ids: Iterable[int]) -> set[str]:
    return {f"article-{pk}" for pk in article_ids if pk}


def list_keys(*, section_id=None, kind=None, author_id=None, tag_ids=()) -> set[str]:
    keys = set(GLOBAL_LISTS)
    if section_id:
        keys.add(f"list-section-{section_id}")
    if kind:
        keys.add(f"list-kind-{kind}")
    if author_id:
        keys.add(f"list-author-{author_id}")
    keys.update(f"list-tag-{pk}" for pk in tag_ids)
    return keys


def article_page_keys(article, *, tags, shown_articles) -> set[str]:
    """The article page: the article, how its section, author and tags are named, the
    articles it links to, and its section's list (the related articles)."""
    keys = {
        SITE,
        f"article-{article.pk}",
        f"neighbours-{article.pk}",
        f"section-{article.section_id}",
        f"list-section-{article.section_id}",
        f"author-{article.author_id}",
    }
    keys.update(f"tag-{tag.pk}" for tag in tags)
    keys.update(article_keys(a.pk for a in shown_articles if a is not None))
    return keys


def listing_keys(list_key: str, articles: Iterable) -> set[str]:
    """A list page: the list itself, and each article, section and author it names."""
    keys = {SITE, list_key}
    for article in articles:
        keys.add(f"article-{article.pk}")
        keys.add(f"section-{article.section_id}")
    return keys


# --- Scheduled articles -----------------------------------------------------------------


UNREAD = object()


def next_publish_at() -> float:
    """When the next scheduled article goes public (a Unix time; 0 when none is)."""
    value = cache.get(NEXT_PUBLISH_KEY)
    if value is None:
        from .selectors import next_scheduled_at

        when = next_scheduled_at()
        value = when.timestamp() if when else 0.0
        # Short: with a per-process cache, other workers learn of a new schedule this late.
        cache.set(NEXT_PUBLISH_KEY, value, NEXT_PUBLISH_SECONDS)
    return value


def seconds_until_next_publish(at: float | None = None) -> int | None:
    """Seconds until the next scheduled article goes public (``at``: when, if the caller
    read it already), or None when none is scheduled."""
    at = next_publish_at() if at is None else at
    if not at:
        return None
    return max(1, math.ceil(at - time.time()))


def share_page(
    request, keys: Iterable[str], *, seconds: int | None = None, scheduled_at=UNREAD
) -> None:
    """Mark the public page answered for ``request``: tagged ``keys``, kept no later than
    the next scheduled publish time (nor ``seconds``). A view that read the next scheduled
    time with its own statement passes it (``scheduled_at``: a datetime, or None)."""
    if scheduled_at is UNREAD:
        until = seconds_until_next_publish()
    else:
        until = seconds_until_next_publish(scheduled_at.timestamp() if scheduled_at else 0.0)
    if seconds is not None:
        until = seconds if until is None else min(until, seconds)
    share(request, keys=keys, seconds=until)


def shared_view(*keys: str):
    """Decorate a view whose page is public and shows what ``keys`` name."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            share_page(request, {SITE, *keys})
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Hooks ----------------------------------------------------------------------------------

# A change to any of these moves the article between lists.
LISTED_FIELDS = ("status", "published_at", "section_id", "kind", "author_id", "is_lead")


def _is_listed(values: dict) -> bool:
    # Public or scheduled: a scheduled article joins its lists at its time, with no purge,
    # so the lists must already be capped to that time when it is scheduled.
    return values.get("status") == "published" and values.get("published_at") is not None


def _listed_values(article) -> dict:
    return {name: getattr(article, name) for name in LISTED_FIELDS}


def _neighbour_ids(article) -> list[int]:
    Article = apps.get_model("articles", "Article")
    if article.published_at is None:
        return []
    published = Article.objects.published().exclude(pk=article.pk)
    before = (
        published.filter(published_at__lt=article.published_at)
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    after = (
        published.filter(published_at__gt=article.published_at)
        .order_by("published_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return [pk for pk in (before, after) if pk]


def _article_tag_ids(article) -> list[int]:
    return list(article.tags.values_list("pk", flat=True)) if article.pk else []


def article_changed_keys(article, *, old: dict | None, deleted: bool = False) -> set[str]:
    new = None if deleted else _listed_values(article)
    keys = {f"article-{article.pk}"}
    if old is not None and new is not None and old == new:
        # The text changed: every page that shows the article has its key, but for the
        # feeds, sitemaps and search results, which are refreshed whole.
        if _is_listed(new):
            keys.update(("list-feed", "list-sitemap", "list-search"))
        return keys
    tag_ids = _article_tag_ids(article) if not deleted else []
    for values in (old, new):
        if values is None or not _is_listed(values):
            continue
        keys |= list_keys(
            section_id=values["section_id"],
            kind=values["kind"],
            author_id=values["author_id"],
            tag_ids=tag_ids,
        )
    if len(keys) > 1 or old is None:
        # It joined or left the order of articles: the pages before and after it link to
        # it (or stop linking) as their next or previous article.
        keys |= {f"neighbours-{pk}" for pk in _neighbour_ids(article)}
        cache.delete(NEXT_PUBLISH_KEY)
    return keys


def _on_article_init(sender, instance, **kwargs):
    # Only what was loaded: reading a deferred column here would cost a query per row.
    loaded = instance.__dict__
    if all(name in loaded for name in LISTED_FIELDS):
        instance._edge_listed = {name: loaded[name] for name in LISTED_FIELDS}


def _on_article_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    old = None if created else getattr(instance, "_edge_listed", None)
    purge(article_changed_keys(instance, old=old))
    instance._edge_listed = _listed_values(instance)


def _on_article_delete(sender, instance, **kwargs):
    old = getattr(instance, "_edge_listed", None) or _listed_values(instance)
    purge(article_changed_keys(instance, old=old, deleted=True))


def _on_tags_changed(sender, instance, action, pk_set=None, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    Article = apps.get_model("articles", "Article")
    if not isinstance(instance, Article):
        return
    tag_ids = set(pk_set or ())
    if action == "pre_clear":
        tag_ids = set(_article_tag_ids(instance))
    keys = {f"article-{instance.pk}"}
    if _is_listed(_listed_values(instance)):
        keys.update(f"list-tag-{pk}" for pk in tag_ids)
    purge(keys)


def _on_section_change(sender, instance, raw=False, **kwargs):
    if not raw:
        purge({f"section-{instance.pk}", f"list-section-{instance.pk}", "list-home"})


def _on_tag_change(sender, instance, raw=False, **kwargs):
    if not raw:
        purge({f"tag-{instance.pk}", f"list-tag-{instance.pk}"})


def _on_site_settings_change(sender, instance, raw=False, **kwargs):
    from .selectors import forget_site_settings

    forget_site_settings()
    if not raw:
        purge({SITE})


# What an author page or a byline shows of a staff account.
AUTHOR_PUBLIC_FIELDS = ("display_name", "bio", "photo", "first_name", "last_name", "username")


def _author_values(user) -> tuple | None:
    loaded = user.__dict__
    names = (*AUTHOR_PUBLIC_FIELDS, "is_staff", "is_active")
    if not all(name in loaded for name in names):
        return None  # deferred columns: unknown, and not worth a query here
    return tuple(str(loaded[name] or "") for name in names)


def _on_user_init(sender, instance, **kwargs):
    instance._edge_author = _author_values(instance)


def _on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._edge_author_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {
        *AUTHOR_PUBLIC_FIELDS,
        "is_staff",
        "is_active",
    }:
        return  # a sign-in saving last_login, a password change
    old = getattr(instance, "_edge_author", None)
    if not (instance.is_staff or (old and old[-2] == "True")):
        return  # readers have no public page
    instance._edge_author_changed = old is None or old != _author_values(instance)


def _on_user_save(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_edge_author_changed", False):
        instance._edge_author_changed = False
        purge({f"author-{instance.pk}", f"list-author-{instance.pk}"})
    _on_user_init(sender, instance)


def _on_breaking_change(sender, instance, raw=False, **kwargs):
    if not raw:
        purge({BREAKING_KEY})


def _on_live_update_change(sender, instance, raw=False, **kwargs):
    # The coverage's page and its updates endpoint; no list shows updates.
    if not raw:
        purge({f"live-{instance.article_id}"})


def connect_signals() -> None:
    """Called from ``ArticlesConfig.ready``."""
    from .models import KIND_PROXIES, Article, BreakingLine, LiveUpdate, Section, SiteSettings

    for model in (Article, *KIND_PROXIES.values()):
        uid = f"edge-{model._meta.label_lower}"
        post_save.connect(_on_article_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_article_delete, sender=model, dispatch_uid=f"{uid}-delete")
        post_init.connect(_on_article_init, sender=model, dispatch_uid=f"{uid}-init")
    m2m_changed.connect(
        _on_tags_changed, sender=Article.tags.through, dispatch_uid="edge-article-tags"
    )
    for signal in (post_save, post_delete):
        signal.connect(_on_section_change, sender=Section, dispatch_uid=f"edge-section-{signal}")
        signal.connect(
            _on_site_settings_change, sender=SiteSettings, dispatch_uid=f"edge-site-{signal}"
        )
        signal.connect(_on_tag_change, sender="taggit.Tag", dispatch_uid=f"edge-tag-{signal}")
        signal.connect(
            _on_breaking_change, sender=BreakingLine, dispatch_uid=f"edge-breaking-{signal}"
        )
        signal.connect(
            _on_live_update_change, sender=LiveUpdate, dispatch_uid=f"edge-live-{signal}"
        )
    user = settings.AUTH_USER_MODEL
    post_init.connect(_on_user_init, sender=user, dispatch_uid="edge-user-init")
    pre_save.connect(_on_user_pre_save, sender=user, dispatch_uid="edge-user-pre-save")
    post_save.connect(_on_user_save, sender=user, dispatch_uid="edge-user-save")
