from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from . import kinds


class Delivery(models.TextChoices):
    """How a person wants the e-mail of one kind of reminder (the in-site inbox always gets it)."""

    IMMEDIATE = "immediate", _("即时邮件")
    DAILY = "daily", _("每日汇总")
    WEEKLY = "weekly", _("每周汇总")
    OFF = "off", _("不发邮件")


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
    delivery = models.CharField(_("邮件方式"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    digest = models.ForeignKey(
        "NotificationDigest",
        verbose_name=_("汇总邮件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminders_notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="reminders_user_unread_idx"),
            models.Index(
                fields=["delivery", "created_at"],
                name="reminders_digest_pending_idx",
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
            ),
        ]

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
    delivery = models.CharField(_("邮件方式"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    # The outside channels the person allows for this kind (each used only if the kind allows it
    # and the person has it: a bound WeChat, a proven mobile number).
    wechat = models.BooleanField(_("微信"), default=True)
    sms = models.BooleanField(_("短信"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminders_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}"


class Channel(models.TextChoices):
    """The outside channels, in the default order a reminder tries them (the inbox always gets it)."""

    WECHAT = "wechat", _("微信")
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")


class ChannelDelivery(TimeStampedModel):
    """One reminder on one outside channel: unique per (notification, channel).

    What "once" means per channel: e-mail at least once (the same Message-ID on every attempt, so
    receivers drop a copy); SMS and WeChat at most once — a row is claimed (``sending``, committed)
    before the provider is called, a claim whose outcome never came back becomes ``unknown`` and is
    never sent again; only a definite refusal (``refused``, ``capped``) moves on to the next channel.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        HELD = "held", _("免打扰时段暂缓")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已送达服务商")
        UNKNOWN = "unknown", _("结果未知（不重发）")
        REFUSED = "refused", _("被拒绝，已改用下一渠道")
        CAPPED = "capped", _("超过每日上限，已改用下一渠道")

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    address = models.CharField(_("发送地址"), max_length=80, blank=True, help_text=_("手机号码或微信 openid"))
    template = models.CharField(_("模板"), max_length=80, blank=True)
    not_before = models.DateTimeField(_("最早发送时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    provider_ref = models.CharField(_("服务商编号"), max_length=80, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["notification_id", "id"]
        verbose_name = _("渠道投递")
        verbose_name_plural = _("渠道投递")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="reminders_delivery_once_per_channel")
        ]
        indexes = [
            models.Index(
                fields=["status", "not_before"],
                name="reminders_delivery_open_idx",
                condition=models.Q(status__in=["queued", "held", "sending"]),
            ),
            models.Index(fields=["channel", "address", "template", "started_at"], name="reminders_delivery_cap_idx"),
        ]

    def __str__(self):
        return f"{self.notification_id} · {self.channel} · {self.status}"


class NotificationDigest(TimeStampedModel):
    """One daily or weekly e-mail that gathers a person's reminders of one period; sent once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notification_digests",
    )
    mode = models.CharField(_("汇总方式"), max_length=10, choices=Delivery.choices)
    period_start = models.DateTimeField(_("起始时间"))
    period_end = models.DateTimeField(_("截止时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("汇总邮件")
        verbose_name_plural = _("汇总邮件")
        constraints = [
            models.UniqueConstraint(fields=["user", "mode", "period_start"], name="reminders_digest_once_per_period")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_mode_display()} · {self.period_start:%Y-%m-%d}"


class OutboxTask(TimeStampedModel):
    """A Celery task to run, written in the same transaction as the data it is about.

    The write and the "to do" commit together; a relay hands it to the broker after commit and a
    beat sweep re-sends what is still pending, so no task is lost when the broker is down. A row
    is closed (``done_at``) only when its task has run: a task the broker lost after taking it
    (Redis killed before a worker picked it up) is handed over again after
    ``OUTBOX_REDELIVER_SECONDS``; tasks are idempotent, so a late duplicate changes nothing.
    """

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list, blank=True)
    sent_at = models.DateTimeField(_("交给队列的时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("执行完成的时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待发任务")
        verbose_name_plural = _("待发任务")
        indexes = [
            models.Index(fields=["id"], name="reminders_outbox_pending_idx", condition=models.Q(sent_at__isnull=True)),
            models.Index(
                fields=["sent_at"],
                name="reminders_outbox_undone_idx",
                condition=models.Q(sent_at__isnull=False, done_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
