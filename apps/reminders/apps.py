from django.utils.translation import gettext_lazy as _

from apps.core.contract import PortalAppConfig, ReminderKind


class RemindersConfig(PortalAppConfig):
    name = "apps.reminders"
    verbose_name = _("提醒")

    def ready(self):
        from . import outbox  # noqa: F401  (connects the task signals that close outbox rows)

    def personal_data(self, user):
        from .models import Notification

        rows = (
            Notification.objects.filter(user=user)
            .order_by("-created_at")
            .values("created_at", "kind", "title", "body", "url", "read_at")
        )
        return {
            _("通知"): [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in rows]
        }

    def personal_data_erase(self, user):
        from .models import Notification, NotificationPreference

        # Notifications are the person's own mail box: nothing else counts on them.
        Notification.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()

    def reminder_kinds(self):
        return [ReminderKind("general", _("系统通知"))]
