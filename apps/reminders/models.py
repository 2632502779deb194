from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from . import kinds


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """One reminder to one person. Its natural key makes a second send of it a no-op."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=50, default="general")
    key = models.CharField(_("唯一键"), max_length=200, help_text=_("同一接收人同一键只发送一次"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email_wanted = models.BooleanField(_("需要邮件"), default=False)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminders_notification_once_per_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="reminders_user_unread_idx")]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        return kinds.label(self.kind)


class NotificationPreference(TimeStampedModel):
    """A person's choice of e-mail on/off for one kind of reminder (default: on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("类型"), max_length=50)
    email = models.BooleanField(_("邮件提醒"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminders_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}"
