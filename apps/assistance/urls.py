from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("", views.index, name="index"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("new/", views.request_new, name="new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/step/<int:step>/", views.request_step, name="step"),
    path("requests/<int:pk>/timeline/", views.request_timeline, name="timeline"),
    path("requests/<int:pk>/delete/", views.request_withdraw, name="delete"),
    path("requests/<int:pk>/screen/", views.screen, name="screen"),
    path("requests/<int:pk>/visit/", views.visit, name="visit"),
    path("requests/<int:pk>/check/", views.check, name="check"),
    path("requests/<int:pk>/publicity/", views.publicity_open, name="publicity_open"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("requests/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("requests/<int:pk>/ledger/", views.ledger_add, name="ledger_add"),
    path("requests/<int:pk>/ledger/<int:entry>/reverse/", views.ledger_reverse, name="ledger_reverse"),
    path("requests/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("requests/<int:pk>/close/", views.close, name="close"),
    path("files/<int:pk>/", views.document_download, name="document"),
    path("queue/", views.queue, name="queue"),
    path("queue/export.xlsx", views.export, name="export"),
]
