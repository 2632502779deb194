from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class LegalAidConfig(PortalAppConfig):
    name = "apps.legal_aid"
    verbose_name = _("法律维权")
