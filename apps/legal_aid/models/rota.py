"""Lawyers and the duty roster: profiles, weekly rota templates, shifts and swaps."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel

from .choices import WEEKDAY_CHOICES, Topic
from .stations import LegalStation


class LawyerProfile(TimeStampedModel, DemoMixin):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="lawyer_profile"
    )
    firm = models.ForeignKey(
        Organization, verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="legal_lawyers"
    )
    contract_from = models.DateField(_("服务协议起始"), null=True, blank=True)
    contract_to = models.DateField(_("服务协议截止"), null=True, blank=True)
    specialties = models.JSONField(_("擅长领域"), default=list, blank=True)
    stations = models.ManyToManyField(LegalStation, verbose_name=_("服务的站点"), related_name="lawyers", blank=True)
    licence_number = models.CharField(_("执业证号"), max_length=40, blank=True)
    advised_employers = models.ManyToManyField(
        Organization,
        verbose_name=_("律所担任法律顾问的单位"),
        related_name="advising_lawyers",
        blank=True,
        help_text=_("用于利益冲突审查。"),
    )

    class Meta:
        ordering = ["user__real_name", "user__username"]
        verbose_name = _("值班律师")
        verbose_name_plural = _("值班律师")

    def __str__(self):
        return self.user.display_name

    @property
    def specialty_labels(self) -> list[str]:
        return [Topic(code).label for code in self.specialties or [] if code in Topic.values]


class ShiftMode(models.TextChoices):
    ON_SITE = "on_site", _("到站")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("线上")


class RotaTemplate(TimeStampedModel):
    """A weekly rota line (“老黄维权站 every Tue morning: 黄律师”) that generates duty shifts."""

    station = models.ForeignKey(LegalStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="rota")
    lawyer = models.ForeignKey(LawyerProfile, verbose_name=_("律师"), on_delete=models.CASCADE, related_name="rota")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAY_CHOICES)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    mode = models.CharField(_("方式"), max_length=10, choices=ShiftMode.choices, default=ShiftMode.ON_SITE)
    slots = models.PositiveSmallIntegerField(_("预约名额"), default=4)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["station", "weekday", "start"]
        verbose_name = _("排班模板")
        verbose_name_plural = _("排班模板")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="legal_aid_rota_time_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="legal_aid_rota_weekday_range"),
        ]

    def __str__(self):
        return f"{self.station} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M} {self.lawyer}"


class DutyShift(TimeStampedModel, DemoMixin):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已排班")
        CONFIRMED = "confirmed", _("已确认")
        DONE = "done", pgettext_lazy("duty shift status", "已完成")
        MISSED = "missed", _("缺勤")
        SWAPPED = "swapped", _("已换班")

    station = models.ForeignKey(LegalStation, verbose_name=_("服务站"), on_delete=models.PROTECT, related_name="shifts")
    lawyer = models.ForeignKey(LawyerProfile, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    mode = models.CharField(_("方式"), max_length=10, choices=ShiftMode.choices, default=ShiftMode.ON_SITE)
    slots = models.PositiveSmallIntegerField(_("预约名额"), default=4)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    template = models.ForeignKey(
        RotaTemplate, verbose_name=_("排班模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "start", "station"]
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="legal_aid_shift_time_order"),
            # Exact double-booking is stopped by the database; partial overlaps by the service under a row lock.
            models.UniqueConstraint(fields=["lawyer", "date", "start"], name="legal_aid_shift_lawyer_start_unique"),
        ]
        indexes = [models.Index(fields=["date", "station"]), models.Index(fields=["lawyer", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.start:%H:%M}–{self.end:%H:%M} {self.station} {self.lawyer}"

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start))

    @property
    def active(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.CONFIRMED)


class ShiftSwap(TimeStampedModel):
    """A lawyer hands a shift to another: requested → accepted (other lawyer) → approved (staff)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待对方接受")
        ACCEPTED = "accepted", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已拒绝")

    shift = models.ForeignKey(DutyShift, verbose_name=_("值班"), on_delete=models.CASCADE, related_name="swaps")
    to_lawyer = models.ForeignKey(
        LawyerProfile, verbose_name=_("接班律师"), on_delete=models.PROTECT, related_name="swaps_received"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        constraints = [
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status__in=["requested", "accepted"]), name="legal_aid_one_open_swap"
            )
        ]

    def __str__(self):
        return f"{self.shift} → {self.to_lawyer}"
