from django.urls import path

from . import views

app_name = "tenthings"
urlpatterns = [
    path("", views.current, name="current"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("indicators/<int:pk>/snapshot/", views.linked_snapshot, name="snapshot"),
    path("reports/<int:pk>/attachment/", views.report_attachment, name="report_attachment"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/export.xlsx", views.plan_export_view, name="export"),
    path("<int:year>/<int:number>/", views.item_detail, name="item"),
    path("<int:year>/<int:number>/report/", views.report_create, name="report"),
    path("<int:year>/<int:number>/rate/", views.rate, name="rate"),
    path("<int:year>/<int:number>/follow/", views.follow, name="follow"),
]
