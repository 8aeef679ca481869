"""Small public endpoints that pages load with JavaScript: the breaking strip (and the
updates of a live coverage). Each is the same for every reader, kept by the edge for a short
while and purged by its own key when an editor changes it."""

import math

from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

from .edge import BREAKING_KEY, SITE, share_page
from .models import Article, BreakingLine, Kind

# The strip is purged on every change; this bounds how late an expiry can be noticed if a
# purge is lost.
BREAKING_SECONDS = 30


def breaking_json(request):
    """The current breaking line (or none), for the strip on every page."""
    now = timezone.now()
    line = BreakingLine.objects.current(now=now).select_related("article").first()
    seconds = BREAKING_SECONDS
    keys = {BREAKING_KEY}
    data = None
    if line is not None:
        # Gone from the edge no later than the moment the line expires.
        seconds = max(1, min(seconds, math.ceil((line.expires_at - now).total_seconds())))
        data = {"id": line.pk, "text": line.text, "url": line.public_url}
        if line.article_id:
            keys.add(f"article-{line.article_id}")
    share_page(request, keys, seconds=seconds)
    return JsonResponse({"line": data})


# Updates a poll returns: far more than can arrive between two polls.
LIVE_WINDOW = 50


def live_keys(article, updates) -> set[str]:
    """What the updates of a coverage show: the updates, the coverage, their authors."""
    keys = {f"live-{article.pk}", f"article-{article.pk}"}
    keys.update(f"author-{update.author_id}" for update in updates)
    return keys


def live_json(request, pk):
    """The newest updates of a public live coverage, each rendered as on the page.

    The same for every reader and kept by the edge until an update changes (purged by
    ``live-<id>``); readers poll it with ``If-None-Match`` and mostly get a 304.
    """
    article = Article.objects.published().filter(pk=pk, kind=Kind.LIVE).first()
    if article is None:
        raise Http404
    updates = list(article.live_updates.select_related("author").newest_first()[:LIVE_WINDOW])
    share_page(request, {SITE, *live_keys(article, updates)})
    return JsonResponse(
        {
            "ended": not article.is_live,
            "updates": [
                {
                    "id": update.pk,
                    "html": render_to_string(
                        "articles/live_update.jinja", {"update": update}, request=request
                    ).strip(),
                }
                for update in updates
            ],
        }
    )
