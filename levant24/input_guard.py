"""Input that no page can use, refused before any view, cache or database sees it.

PostgreSQL refuses a NUL character in any text it is given, so a NUL that reached a query
(a section slug from the path, an admin search from the query string) ended as a 500.
"""

from django.http import Http404
from django.shortcuts import render


class RefuseNulMiddleware:
    """A NUL in the path is a page that cannot exist (404); in the query string, a request
    no form or filter can answer (400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL in the path")
        query = request.GET
        if any("\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query):
            return render(request, "400.html", status=400)
        return self.get_response(request)
