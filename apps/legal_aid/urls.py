from django.urls import path

from . import views

app_name = "legal_aid"

urlpatterns = [
    path("", views.index, name="index"),
    path("stations/<int:pk>/", views.station_detail, name="station"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/assign/", views.consultation_assign, name="consultation_assign"),
    path("consultations/<int:pk>/callback/", views.consultation_callback, name="consultation_callback"),
    path("consultations/<int:pk>/answer/", views.consultation_answer, name="consultation_answer"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/rate/", views.consultation_rate, name="consultation_rate"),
    path("consultations/<int:pk>/cancel/", views.consultation_cancel, name="consultation_cancel"),
    path("consultations/<int:pk>/no-show/", views.consultation_no_show, name="consultation_no_show"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("triage/", views.triage, name="triage"),
    path("duty/", views.duty, name="duty"),
    path("mediation/", views.mediation, name="mediation"),
    path("roster/", views.roster, name="roster"),
    path("ledger/new/", views.ledger_new, name="ledger_new"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/sessions/", views.case_session, name="case_session"),
    path("cases/<int:pk>/mediators/", views.case_mediator, name="case_mediator"),
    path("cases/<int:pk>/performance/", views.case_performance, name="case_performance"),
    path("cases/<int:pk>/agreement/", views.case_file, name="case_agreement"),
    path("cases/<int:pk>/files/<int:doc>/", views.case_file, name="case_file"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/checkin/", views.event_checkin, name="event_checkin"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/offer/", views.registration_offer, name="registration_offer"),
]
