import logging

from django.conf import settings
from django.utils.cache import cc_delim_re

from .http import KEY_HEADERS, PRIVATE_CACHE_CONTROL, public_cache_control, shared_state

logger = logging.getLogger(__name__)


class EdgeHeadersMiddleware:
    """Writes the caching headers of every response.

    A page the view shared (``edge.http.share``) answers ``public`` with its purge keys,
    unless it turned out to be about one reader: it sets a cookie, varies on the cookie
    (the session was read) or a part of it called ``keep_private``. Those, and every
    response that decided nothing, are ``private, no-store``: an edge that does not know
    a page must never keep it. Responses that set their own ``Cache-Control`` (the admin,
    static files) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        state = shared_state(request) if request.method in ("GET", "HEAD") else None
        if state is not None and response.status_code in (200, 301, 404, 410):
            vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
            if response.cookies or "cookie" in vary:
                # A bug, not a reader's doing: say so loudly in the logs, stay safe.
                logger.warning(
                    "page marked public is about one reader; sent private path=%s", request.path
                )
            else:
                seconds = settings.PAGE_CACHE_SECONDS
                if state["seconds"] is not None:
                    seconds = max(1, min(seconds, state["seconds"]))
                response["Cache-Control"] = public_cache_control(seconds)
                keys = " ".join(sorted(state["keys"]))
                for header in KEY_HEADERS:
                    response[header] = keys
                return response
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
