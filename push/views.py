"""The push endpoints the bell's script calls, and the service worker.

The subscribe, choice and unsubscribe endpoints take no cookie and set none, so they are
exempt from Django's CSRF check, which protects actions done with a reader's ambient
credentials: here there are none. What a forged cross-site request could do (register a
push address) anyone can do directly, and the address must belong to a browser push
service. Changing or removing a subscription needs its endpoint and its auth secret, which
only the subscribed browser knows. On top, only same-origin JSON requests are accepted: a
cross-site form cannot send ``application/json`` without a CORS preflight we never grant.
Every answer is ``private, no-store`` (edge.http).
"""

import json
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.ratelimits import limit_exceeded
from articles.edge import SITE, share_page
from articles.models import Section
from edge.http import PRIVATE_CACHE_CONTROL
from levant24.client_ip import client_ip

from . import services

MAX_BODY_BYTES = 4096


def _error(message, status=400):
    response = JsonResponse({"error": str(message)}, status=status)
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def _ok(data=None, status=200):
    response = JsonResponse({"ok": True, **(data or {})}, status=status)
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def _same_origin(request) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.get_host()}"


def json_endpoint(view):
    """POST, same origin, a small JSON object, push turned on."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request):
        if not services.push_enabled():
            return _error(_("Notifications are not available."), status=404)
        if not _same_origin(request):
            return _error(_("The request could not be read."), status=403)
        if request.content_type != "application/json":
            return _error(_("The request could not be read."), status=415)
        if len(request.body) > MAX_BODY_BYTES:
            return _error(_("The request could not be read."), status=413)
        try:
            data = json.loads(request.body)
        except ValueError:
            return _error(_("The request could not be read."))
        if not isinstance(data, dict):
            return _error(_("The request could not be read."))
        try:
            return view(request, data)
        except ValidationError as exc:
            return _error(exc.messages[0])

    return wrapper


@json_endpoint
def subscribe(request, data):
    cleaned = services.subscription_clean(data)
    exists = services.subscription_find(endpoint=cleaned["endpoint"], auth=cleaned["auth"])
    if exists is None and limit_exceeded(
        group="push.subscribe", value=client_ip(request), rate=settings.PUSH_SUBSCRIBE_RATE
    ):
        return _error(_("Too many subscriptions from this network. Try again later."), 429)
    subscription, created = services.subscription_save(data=cleaned)
    return _ok(
        {"breaking": subscription.breaking, "sections": cleaned["sections"]},
        status=201 if created else 200,
    )


@json_endpoint
def choose(request, data):
    subscription = services.subscription_find(
        endpoint=data.get("endpoint"), auth=(data.get("keys") or {}).get("auth")
    )
    if subscription is None:
        return _error(_("This browser is not subscribed."), status=404)
    choice = services.choice_clean(data)
    services.subscription_choose(subscription=subscription, choice=choice)
    return _ok(choice)


@json_endpoint
def unsubscribe(request, data):
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    subscription = services.subscription_find(endpoint=data.get("endpoint"), auth=keys.get("auth"))
    if subscription is not None:
        services.subscription_delete(subscription=subscription)
    return _ok()


PUSH_CONFIG_SECONDS = 300


@require_GET
def config_json(request):
    """The public key and the sections a reader may follow: the same for everyone."""
    if not services.push_enabled():
        raise Http404
    sections = [{"id": s.pk, "name": s.name} for s in Section.objects.order_by("name")]
    share_page(request, {SITE, "push-config"}, seconds=PUSH_CONFIG_SECONDS)
    return JsonResponse({"key": settings.VAPID_PUBLIC_KEY, "sections": sections})


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    path = finders.find("js/push-sw.js")
    with open(path, "rb") as file:
        return file.read()


@require_GET
def service_worker(request):
    """static/js/push-sw.js at the site's root, so that it may control every page."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    share_page(request, {SITE, "push-sw"}, seconds=PUSH_CONFIG_SECONDS)
    return response
