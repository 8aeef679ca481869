"""Arabic error pages. 400, 403, CSRF failure and 500 render without the database (a page
that explains a failure must not fail itself); 404 uses the site's layout."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .edge import SITE, share_page

NOT_FOUND_SECONDS = 60


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the form was sent without a valid token (an old tab, cookies
    turned off). The reason is for the logs, not for the reader."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    # The same for everyone, and cheap to keep at the edge: an address that does not exist
    # (yet: a scheduled article's) is asked again after a minute at most.
    share_page(request, {SITE}, seconds=NOT_FOUND_SECONDS)
    return render(request, "404.jinja", status=404)


def server_error(request):
    # No context processors: the database may be the reason we are here.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
