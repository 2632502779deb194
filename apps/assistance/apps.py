from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class AssistanceConfig(PortalAppConfig):
    name = "apps.assistance"
    verbose_name = _("帮扶援助")
