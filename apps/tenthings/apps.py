from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenThingsConfig(AppConfig):
    name = "apps.tenthings"
    verbose_name = _("十件实事")
    nav_links = [(20, _("十件实事"), "tenthings:current", "✔")]
