from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "apps.stations"
    verbose_name = _("职工驿站")
    nav_links = [(40, _("职工驿站"), "stations:list", "☕")]
