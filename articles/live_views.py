"""Small public endpoints that pages load with JavaScript: the breaking strip (and the
updates of a live coverage). Each is the same for every reader, kept by the edge for a short
while and purged by its own key when an editor changes it."""

import math

from django.http import JsonResponse
from django.utils import timezone

from .edge import BREAKING_KEY, share_page
from .models import BreakingLine

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
