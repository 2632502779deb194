from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("membership/join/", views.join, name="join"),
    path("me/card/", views.card, name="card"),
    path("members/verify/<str:token>/", views.verify, name="verify"),
    path("membership/transfer/", views.transfer_new, name="transfer_new"),
    path("membership/setup/", views.setup_new, name="setup_new"),
    path("membership/queue/", views.queue, name="queue"),
    path("membership/applications/<int:pk>/", views.application_detail, name="application"),
    path("membership/applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("membership/applications/<int:pk>/return/", views.application_return, name="application_return"),
    path("membership/applications/<int:pk>/refer/", views.application_refer, name="application_refer"),
    path("membership/transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("membership/transfers/<int:pk>/decline/", views.transfer_decline, name="transfer_decline"),
    path("membership/members/", views.members, name="members"),
    path("membership/members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("membership/setup/queue/", views.setup_queue, name="setup_queue"),
    path("membership/setup/<int:pk>/move/", views.setup_move, name="setup_move"),
    path("membership/import/", views.import_page, name="import"),
]
