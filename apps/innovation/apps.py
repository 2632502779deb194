from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class InnovationConfig(PortalAppConfig):
    name = "apps.innovation"
    verbose_name = _("职工技术创新")
