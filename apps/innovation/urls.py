from django.urls import path

from . import views

app_name = "innovation"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("publicity/<int:year>/", views.publicity, name="publicity"),
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/action/", views.problem_action, name="problem_action"),
    path("submit/", views.submit, name="submit"),
    path("submit/<int:pk>/<int:step>/", views.wizard, name="wizard"),
    path("mine/", views.mine, name="mine"),
    path("endorse/", views.endorse_queue, name="endorse_queue"),
    path("endorse/<int:pk>/", views.endorse_action, name="endorse_action"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.manage_campaign, name="manage_campaign"),
    path("manage/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("manage/<int:pk>/<slug:action>/", views.manage_action, name="manage_action"),
]
