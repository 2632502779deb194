from django.utils.translation import gettext_lazy as _

from apps.core.contract import NavLink, PortalAppConfig, Role


class DashboardConfig(PortalAppConfig):
    name = "apps.dashboard"
    verbose_name = _("领导驾驶舱")

    def nav_links(self):
        return [NavLink(_("领导驾驶舱"), "dashboard:index", order=110, role="leader")]

    def roles(self):
        # Leaders read aggregates; every app grants them the view permissions of its records.
        return [Role("leader", _("领导（查看驾驶舱）"), landing="dashboard:index")]

    def demo_load(self, stdout):
        from apps.accounts.demo import demo_user
        from apps.tenthings.demo import summary_line

        demo_user(stdout, "leader", "常主席", role="leader", employer="兴化市总工会")
        # Last app to load: linked indicators now see every app's data, so these are the figures
        # the year page, the home panel and the dashboard show.
        line = summary_line()
        if line:
            stdout.write(f"  {line}")
