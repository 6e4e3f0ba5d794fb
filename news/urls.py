from django.urls import path

from . import feeds, views

app_name = "news"

# The feed and the preview come before the article pattern, which would take them as slugs.
urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("feed/", feeds.ArticleFeed(), name="article_feed"),
    path("suggestions/<slug:name>/", views.filter_suggestions, name="filter_suggestions"),
    path("preview/<int:pk>/", views.article_preview, name="article_preview"),
    path("<slug:slug>/", views.article_detail, name="article_detail"),
]
