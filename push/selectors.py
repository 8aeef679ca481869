from django.db.models import Count, Q

from articles.models import BreakingLine

from .models import Notification, PushSubscription
from .services import push_enabled


def desk_counts() -> dict:
    """What the live desk shows about push: who subscribed to what, and how the last
    pushes went (the current breaking line's and the recent articles')."""
    totals = PushSubscription.objects.aggregate(
        total=Count("pk"),
        breaking=Count("pk", filter=Q(breaking=True)),
        with_sections=Count("pk", filter=Q(sections__isnull=False), distinct=True),
    )
    current = BreakingLine.objects.current().values("pk")[:1]
    return {
        "enabled": push_enabled(),
        "totals": totals,
        "breaking": Notification.objects.filter(breaking_line__in=current).first(),
        "articles": list(
            Notification.objects.filter(article__isnull=False).select_related("article")[:5]
        ),
    }
