from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.activity_calendar, name="ics"),
    path("<int:pk>/draw/", views.draw_result, name="draw"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/enrolments/<int:enrolment_id>/rate/", views.rate, name="rate"),
    path("<int:pk>/enrolments/<int:enrolment_id>/<slug:action>/", views.enrolment_action, name="enrolment_action"),
    path("checkin/<str:token>/", views.door_checkin, name="door"),
    path("my-code.svg", views.my_code_svg, name="my_code"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.activity_edit, name="new"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("<int:pk>/do/<slug:action>/", views.activity_action, name="action"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/roster.xlsx", views.roster_export, name="export"),
    path("<int:pk>/roster/<int:enrolment_id>/cancel/", views.roster_cancel, name="roster_cancel"),
    path("sessions/<int:session_id>/checkin/", views.session_checkin, name="checkin"),
    path("sessions/<int:session_id>/door.svg", views.door_qr_svg, name="door_qr"),
    path("sessions/<int:session_id>/do/<slug:action>/", views.session_action, name="session_action"),
]
