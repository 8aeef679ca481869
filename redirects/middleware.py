import logging

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect

from .models import Redirect
from .paths import lookup_keys

logger = logging.getLogger(__name__)

# Query parameters that name a WordPress post or page on any address ("/?p=123"): those
# requests reach a live page (the home page), so they are looked up before it runs.
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class RedirectFallbackMiddleware:
    """Answers 301 for addresses in the redirects table.

    Only a GET or HEAD that would end in 404 (or that names a WordPress post id) costs one
    indexed query; every other request costs nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if any(name in request.GET for name in WORDPRESS_ID_PARAMETERS):
            found = self._redirect(request)
            if found is not None:
                return found
        response = self.get_response(request)
        if response.status_code == 404:
            return self._redirect(request) or response
        return response

    @staticmethod
    def _redirect(request):
        keys = lookup_keys(request.path, request.GET.items())
        try:
            rows = dict(Redirect.objects.matching(keys).values_list("old_path", "new_path"))
        except DatabaseError:
            # The page that was going to be served (a 404, the home page) is still right.
            logger.warning("redirect lookup failed for %s", request.path, exc_info=True)
            return None
        for key in reversed(keys):  # the most specific match wins
            if key in rows:
                return HttpResponsePermanentRedirect(rows[key])
        return None
