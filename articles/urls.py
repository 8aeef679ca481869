from django.urls import path

from . import feeds, live_views, preview, search_views, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("article/<int:pk>/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("article/<int:pk>/", views.ArticleDetailView.as_view(), name="detail_short"),
    path("kind/<str:kind_slug>/", views.KindListView.as_view(), name="kind"),
    path("section/<str:slug>/", views.SectionListView.as_view(), name="section"),
    path("tag/<str:slug>/", views.TagListView.as_view(), name="tag"),
    path("author/<str:username>/", views.AuthorListView.as_view(), name="author"),
    path("latest.json", views.latest_json, name="latest_json"),
    path("article/<int:pk>/live.json", live_views.live_json, name="live_json"),
    path("breaking.json", live_views.breaking_json, name="breaking_json"),
    path("preview/<int:pk>/", preview.article_preview, name="preview"),
    # Search and feeds.
    path("search/", search_views.search_view, name="search"),
    path("feeds/", feeds.LatestArticlesFeed(), name="feed"),
    path("feeds/kind/<str:kind_slug>/", feeds.KindFeed(), name="feed_kind"),
    path("feeds/section/<str:slug>/", feeds.SectionFeed(), name="feed_section"),
]
