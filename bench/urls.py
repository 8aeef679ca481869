"""The site's URLs plus the benchmark's baseline view (bench/settings.py)."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """The smallest Django answer: what every page pays before its own work starts."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("levant24.urls")),
]

# Django looks for the error handlers in the root URLconf.
handler400 = "articles.errors.bad_request"
handler403 = "articles.errors.permission_denied"
handler404 = "articles.errors.page_not_found"
handler500 = "articles.errors.server_error"
