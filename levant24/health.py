"""Health checks.

``/healthz`` is for load balancers, which ask every few seconds: it runs one ``SELECT 1``
(503 when the database does not answer) and reports the task broker as this process last saw
it, without contacting it. A broker outage does not make it fail: requests still succeed
and their tasks wait in the outbox, so taking every app server out of rotation would turn a
queue outage into a site outage.

``/healthz/ready`` is for monitoring and deploy scripts: it also opens a connection to the
broker (at most a second) and counts the tasks waiting in the outbox. It answers 503 only
when the database is down; a broker that is down or a backlog shows as "degraded".
"""

import logging

from django.db import connections
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import outbox
from core.models import OutboxMessage

logger = logging.getLogger(__name__)


def _database_up() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check failed: database unavailable error=%s", exc)
        return False
    return True


@never_cache
@require_safe
def healthz(request):
    broker = outbox.broker_state()
    if not _database_up():
        return JsonResponse(
            {"status": "unavailable", "database": "down", "broker": broker}, status=503
        )
    return JsonResponse({"status": "ok", "database": "up", "broker": broker})


@never_cache
@require_safe
def healthz_ready(request):
    if outbox.broker_state() == "eager":
        broker = "eager"
    else:
        broker = "up" if outbox.broker_ping(timeout=1.0) else "down"
    if not _database_up():
        return JsonResponse(
            {"status": "unavailable", "database": "down", "broker": broker}, status=503
        )
    waiting = OutboxMessage.objects.count()
    status = "ok" if broker != "down" and not waiting else "degraded"
    return JsonResponse({"status": status, "database": "up", "broker": broker, "outbox": waiting})
