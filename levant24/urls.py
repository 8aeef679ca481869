from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from articles.edge import shared_view
from articles.search_views import robots_txt
from articles.sitemaps import SITEMAPS, news_sitemap

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("comments/", include("comments.urls")),
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

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "articles.errors.bad_request"
handler403 = "articles.errors.permission_denied"
handler404 = "articles.errors.page_not_found"
handler500 = "articles.errors.server_error"
