"""The site's URLs plus a few views that only the serving tests need."""

from django.db.utils import OperationalError
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path

from levant24.urls import handler404, handler500  # noqa: F401
from levant24.urls import urlpatterns as site_urlpatterns

_FORM = Template(
    "<html><body><form method='post' action='/form/'>{% csrf_token %}"
    "<input name='text'><button>send</button></form></body></html>"
)


def form_page(request):
    if request.method == "POST":
        return HttpResponse(f"got {request.POST.get('text', '')}")
    from django.template.context_processors import csrf

    return HttpResponse(_FORM.render(Context(csrf(request))))


def boom(request):
    raise RuntimeError("kaboom in the view")


def database_gone(request):
    raise OperationalError("could not connect to server")


urlpatterns = [
    path("form/", form_page),
    path("boom/", boom),
    path("db-gone/", database_gone),
    *site_urlpatterns,
]
