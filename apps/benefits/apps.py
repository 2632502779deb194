from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class BenefitsConfig(PortalAppConfig):
    name = "apps.benefits"
    verbose_name = _("普惠服务")
