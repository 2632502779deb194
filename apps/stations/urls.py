from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("map.json", views.map_json, name="map_json"),
    path("keeper/", views.keeper_home, name="keeper"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("<int:pk>/qr.svg", views.station_qr, name="qr"),
    path("<int:pk>/feedback/", views.station_feedback, name="feedback"),
    path("<int:pk>/checkin/", views.station_checkin, name="checkin"),
    path("<int:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("<int:pk>/usage/", views.station_usage, name="usage"),
    path("<int:pk>/edit/", views.station_keeper_edit, name="keeper_edit"),
]
