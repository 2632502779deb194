"""Stations: the flagship, grassroots and enterprise stations, their partners and staff."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, Place, TimeStampedModel, Town
from apps.core.paths import object_path

from .choices import Service


class LegalStationQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=LegalStation.Status.PLANNED)

    def open_on(self, day: datetime.date):
        """Stations open on that day: opened by then and not closed before it."""
        return self.filter(opened_on__lte=day).exclude(status=LegalStation.Status.PLANNED).exclude(closed_on__lte=day)


class LegalStation(TimeStampedModel, Place, DemoMixin):
    """A legal-aid station: the flagship 老黄维权站, a town's grassroots station, or one in an enterprise."""

    class Kind(models.TextChoices):
        FLAGSHIP = "flagship", _("市级维权站")
        GRASSROOTS = "grassroots", _("基层工会法律服务站")
        ENTERPRISE = "enterprise", _("企业法律服务点")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("legal station status", "筹建中")
        OPEN = "open", _("开放")
        SUSPENDED = "suspended", _("暂停服务")
        CLOSED = "closed", _("已关闭")

    code = models.SlugField(pgettext_lazy("legal station code", "编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        pgettext_lazy("kind of station or event", "类型"), max_length=12, choices=Kind.choices, default=Kind.GRASSROOTS
    )
    town = models.ForeignKey(
        Town,
        verbose_name=pgettext_lazy("town", "所在乡镇/街道"),
        on_delete=models.PROTECT,
        related_name="legal_stations",
    )
    host = models.ForeignKey(
        Organization,
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_legal_stations",
    )
    phone = models.CharField(pgettext_lazy("phone number", "联系电话"), max_length=30, blank=True)
    hours = models.CharField(_("服务时间"), max_length=100, blank=True, help_text=_("例如“周一至周五 8:30–17:30”。"))
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)

    objects = LegalStationQuerySet.as_manager()

    class Meta(Place.Meta):
        ordering = ["kind", "town__sort_order", "name"]
        verbose_name = _("法律服务站")
        verbose_name_plural = _("法律服务站")
        constraints = [
            *Place.Meta.constraints,
            models.UniqueConstraint(
                fields=["town"], condition=Q(kind="grassroots"), name="legal_aid_one_grassroots_station_per_town"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(status_reason=""), name="legal_aid_station_reason_when_not_open"
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(opened_on__isnull=False), name="legal_aid_station_open_has_date"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_path("legal_aid:station", self.pk)

    def clean(self):
        super().clean()
        errors = {}
        if self.status != self.Status.OPEN and not (self.status_reason or "").strip():
            errors["status_reason"] = _("服务站未开放时请填写原因（如筹建进度、暂停或关闭原因）。")
        if self.status == self.Status.OPEN and not self.opened_on:
            errors["opened_on"] = _("开放的服务站请填写启用日期。")
        if self.kind == self.Kind.GRASSROOTS and self.town_id:
            clash = LegalStation.objects.filter(kind=self.Kind.GRASSROOTS, town_id=self.town_id).exclude(pk=self.pk)
            if clash.exists():
                errors["town"] = _("%(town)s已有基层工会法律服务站，每个乡镇/街道只能建一个。") % {"town": self.town}
        bad = [code for code in self.services or [] if code not in Service.values]
        if bad:
            errors["services"] = _("未知的服务项目：%(codes)s。") % {"codes": "、".join(bad)}
        if errors:
            raise ValidationError(errors)

    @property
    def service_labels(self) -> list[str]:
        return [Service(code).label for code in self.services or [] if code in Service.values]


class StationPartner(TimeStampedModel):
    class Role(models.TextChoices):
        HRSS = "hrss", _("人社所")
        JUSTICE = "justice", _("司法所")
        LAW_FIRM = "law_firm", _("律师事务所")
        COURT = "court", _("法院")

    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="partners"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("合作单位"), on_delete=models.PROTECT, related_name="legal_partnerships"
    )
    role = models.CharField(_("合作角色"), max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["station", "role"]
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        constraints = [
            models.UniqueConstraint(fields=["station", "organization", "role"], name="legal_aid_partner_unique")
        ]

    def __str__(self):
        return f"{self.organization}（{self.get_role_display()}）"


class StationMemberQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gte=day))


class StationMember(TimeStampedModel):
    """A person in a station's 组织架构; current members are that station's staff."""

    class Role(models.TextChoices):
        HEAD = "head", _("站长")
        MEDIATOR = "mediator", _("调解员")
        LAWYER = "lawyer", _("值班律师")
        LIAISON = "liaison", _("联络员")
        VOLUNTEER = "volunteer", _("志愿者")

    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="legal_memberships"
    )
    role = models.CharField(_("职务"), max_length=12, choices=Role.choices)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(pgettext_lazy("station membership", "截止日期"), null=True, blank=True)

    objects = StationMemberQuerySet.as_manager()

    class Meta:
        ordering = ["station", "role", "since"]
        verbose_name = _("服务站人员")
        verbose_name_plural = _("服务站人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(since__lte=models.F("until")),
                name="legal_aid_member_dates_order",
            )
        ]

    def __str__(self):
        return f"{self.station} · {self.get_role_display()} · {self.user.display_name}"
