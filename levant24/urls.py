from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.urls import include, path
from django.views.static import serve

from articles.edge import shared_view
from articles.search_views import robots_txt
from articles.sitemaps import SITEMAPS, news_sitemap
from push.views import service_worker

from .health import healthz, healthz_ready

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz_ready, name="healthz_ready"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("comments/", include("comments.urls")),
    path("push/", include("push.urls")),
    # At the root so that the worker may control every page of the site.
    path("push-sw.js", service_worker, name="push_sw"),
    path("", include("articles.urls")),
    # Search-engine visibility.
    # An index: a large archive does not fit in one sitemap file.
    path(
        "sitemap.xml",
        shared_view("list-sitemap")(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        shared_view("list-sitemap")(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("news-sitemap.xml", shared_view("list-sitemap")(news_sitemap), name="news_sitemap"),
    path("robots.txt", shared_view()(robots_txt), name="robots_txt"),
]


def local_media(request, path):
    """Uploads from MEDIA_ROOT, for development and `make serve` on one machine only
    (DEBUG or SERVE_MEDIA): Django's static file view is not built for production traffic."""
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns.append(path("media/<path:path>", local_media))

handler400 = "articles.errors.bad_request"
handler403 = "articles.errors.permission_denied"
handler404 = "articles.errors.page_not_found"
handler500 = "articles.errors.server_error"
