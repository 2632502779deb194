from django.urls import path

from . import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/read/", views.article_read, name="read"),
    path("<int:pk>/preview/", views.article_preview_view, name="preview"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("feed/<slug:slug>/", feeds.LatestArticlesFeed(), name="column_feed"),
    path("feed/<slug:slug>/atom/", feeds.LatestArticlesAtomFeed(), name="column_feed_atom"),
]
