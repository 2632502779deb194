from django.urls import path

from . import consent_views, views, wechat_views

app_name = "accounts"
urlpatterns = [
    path("", views.me, name="me"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("data/", views.my_data, name="my_data"),
    path("close/", views.account_close_view, name="close"),
    path("consents/", consent_views.consents, name="consents"),
    path("consents/<slug:app>/<str:key>/withdraw/", consent_views.consent_withdraw, name="consent_withdraw"),
    path("wechat/bind/", wechat_views.bind_start, name="wechat_bind"),
    path("wechat/callback/", wechat_views.bind_callback, name="wechat_callback"),
]
