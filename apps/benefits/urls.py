from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.programme, name="programme"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="action"),
    path("my-code.svg", views.my_code, name="my_code"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/allocation/", views.allocation, name="allocation"),
    path("manage/<int:pk>/insurance/", views.insurance, name="insurance"),
    path("provider/", views.provider_checkin, name="provider"),
]
