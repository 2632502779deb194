from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig, ReminderKind


class RemindersConfig(PortalAppConfig):
    name = "apps.reminders"
    verbose_name = _("提醒")

    def ready(self):
        from . import outbox  # noqa: F401  (connects the task signals that close outbox rows)

    def reminder_kinds(self):
        return [ReminderKind("general", _("系统通知"))]
