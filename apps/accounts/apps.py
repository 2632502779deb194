from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig


class AccountsConfig(PortalAppConfig):
    name = "apps.accounts"
    verbose_name = _("账户与角色")
    demo_module = "demo"

    def role_grants(self):
        return {"leader": ["accounts.view_user"]}

    def ready(self):
        from .services import role_permissions_sync

        # After every migrate (all apps' permissions exist by then) groups get exactly the
        # permissions the apps declare.
        post_migrate.connect(role_permissions_sync, dispatch_uid="accounts.role_permissions_sync")
