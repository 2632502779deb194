from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class ActivitiesConfig(PortalAppConfig):
    name = "apps.activities"
    verbose_name = _("活动报名")
