"""Arabic error pages that render even when the database is down."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .edge import SITE, share_page

NOT_FOUND_SECONDS = 60


def page_not_found(request, exception=None):
    # The same for everyone, and cheap to keep at the edge: an address that does not exist
    # (yet: a scheduled article's) is asked again after a minute at most.
    share_page(request, {SITE}, seconds=NOT_FOUND_SECONDS)
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be the reason we are here.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
