"""Legal aid (法律维权): stations, duty roster, consultations, dispute cases, ledger, events, audit."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, Place, TimeStampedModel, Town
from apps.core.paths import object_path
from apps.core.private_files import private_storage, private_upload_to

WEEKDAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


class Topic(models.TextChoices):
    WAGES = "wages", _("工资拖欠")
    INJURY = "injury", _("工伤认定与工伤保险待遇")
    CONTRACT = "contract", _("劳动合同订立/解除与经济补偿")
    INSURANCE = "insurance", _("社会保险")
    HOURS = "hours", _("工时与休息休假")
    NEW_FORM = "new_form", _("新就业形态权益")
    WOMEN = "women", _("女职工特殊保护")
    OTHER = "other", _("其他")


class Service(models.TextChoices):
    ADVICE = "advice", _("法律咨询")
    MEDIATION = "mediation", _("劳动争议调解")
    DRAFTING = "drafting", _("代写文书")
    REFERRAL = "referral", _("法律援助转介")
    GUIDANCE = "guidance", _("仲裁/诉讼指引")


# --- Stations ------------------------------------------------------------------------------


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
        PLANNED = "planned", _("筹建中")
        OPEN = "open", _("开放")
        SUSPENDED = "suspended", _("暂停服务")
        CLOSED = "closed", _("已关闭")

    code = models.SlugField(_("编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.GRASSROOTS)
    town = models.ForeignKey(
        Town, verbose_name=_("所在乡镇/街道"), on_delete=models.PROTECT, related_name="legal_stations"
    )
    host = models.ForeignKey(
        Organization,
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_legal_stations",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
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
    until = models.DateField(_("截止日期"), null=True, blank=True)

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


# --- Lawyers and the duty roster -----------------------------------------------------------


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
        DONE = "done", _("已完成")
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


# --- Consultations -------------------------------------------------------------------------


OPEN_STATES = ("submitted", "triaged", "scheduled")


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def visible_to(self, user):
        """What this person may see: own, assigned, their stations', or everything for officers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("legal_aid.view_private_records"):
            return self.all()
        stations = StationMember.objects.current().filter(user=user).values("station_id")
        return self.filter(Q(worker=user) | Q(lawyer__user=user) | Q(station_id__in=stations))


class Consultation(TimeStampedModel, DemoMixin):
    class Channel(models.TextChoices):
        SLOT = "slot", _("预约值班时段")
        CALLBACK = "callback", _("电话回拨")
        WRITTEN = "written", _("书面答复")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        TRIAGED = "triaged", _("已分派")
        SCHEDULED = "scheduled", _("已预约")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")
        CANCELLED = "cancelled", _("已撤回")
        NO_SHOW = "no_show", _("未到场")
        UNREACHABLE = "unreachable", _("无法联系")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("已解答")
        MEDIATION = "mediation", _("转调解")
        ARBITRATION = "arbitration", _("转仲裁")
        LEGAL_AID = "legal_aid", _("转法律援助中心 12348")
        INSPECTION = "inspection", _("转劳动监察 12333")
        OUT_OF_SCOPE = "out_of_scope", _("超出范围")
        UNREACHABLE = "unreachable", _("无法联系")

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("职工"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_consultations",
    )
    contact_name = models.CharField(_("姓名"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.PROTECT, related_name="consultations"
    )
    topic = models.CharField(_("问题类型"), max_length=12, choices=Topic.choices)
    employer_name = models.CharField(_("用人单位"), max_length=120, blank=True)
    employer = models.ForeignKey(
        Organization, verbose_name=_("用人单位（已登记）"), on_delete=models.SET_NULL, null=True, blank=True
    )
    town = models.ForeignKey(Town, verbose_name=_("乡镇/街道"), on_delete=models.SET_NULL, null=True, blank=True)
    question = models.TextField(_("问题描述"))
    channel = models.CharField(_("答复方式"), max_length=10, choices=Channel.choices, default=Channel.CALLBACK)
    shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("预约时段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    callback_from = models.DateTimeField(_("方便接电话的时间（起）"), null=True, blank=True)
    callback_to = models.DateTimeField(_("方便接电话的时间（止）"), null=True, blank=True)
    is_new_form = models.BooleanField(_("新就业形态劳动者"), default=False)
    consent_at = models.DateTimeField(_("同意隐私告知时间"))
    health_consent_at = models.DateTimeField(_("同意处理健康信息时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    outcome = models.CharField(_("办理结果"), max_length=14, choices=Outcome.choices, blank=True)
    lawyer = models.ForeignKey(
        LawyerProfile,
        verbose_name=_("承办律师"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    due_at = models.DateTimeField(_("首次答复期限"))
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=200, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        permissions = [
            ("view_private_records", _("查看全部咨询与案件")),
            ("triage_consultation", _("分派咨询")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="legal_aid_rating_range"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["closed", "unreachable"]) | ~Q(outcome=""),
                name="legal_aid_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(channel="slot") | Q(shift__isnull=False) | Q(status="cancelled"),
                name="legal_aid_slot_has_shift",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["station", "status"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_topic_display()}"

    def get_absolute_url(self):
        return reverse("legal_aid:consultation", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def overdue(self) -> bool:
        return self.first_response_at is None and self.is_open and self.due_at < timezone.now()

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name


class Attachment(TimeStampedModel):
    class Kind(models.TextChoices):
        CONTRACT = "contract", _("劳动合同")
        PAYSLIP = "payslip", _("工资条")
        APPRAISAL = "appraisal", _("伤残鉴定")
        OTHER = "other", _("其他材料")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("材料类型"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=private_upload_to("legal/consultations"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("咨询附件")
        verbose_name_plural = _("咨询附件")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class CallbackAttempt(TimeStampedModel):
    """One phone call to the worker; three failed ones close the consultation as unreachable."""

    MAX_FAILED = 3

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="callbacks"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    reached = models.BooleanField(_("已接通"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("回拨记录")
        verbose_name_plural = _("回拨记录")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="legal_aid_callback_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="legal_aid_callback_number_positive"),
        ]

    def __str__(self):
        return f"#{self.consultation_id} · {self.number}"


# --- Dispute cases -------------------------------------------------------------------------


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("legal_aid.view_private_records"):
            return self.all()
        stations = StationMember.objects.current().filter(user=user).values("station_id")
        return self.filter(
            Q(applicants__user=user) | Q(mediators=user) | Q(lawyer__user=user) | Q(station_id__in=stations)
        ).distinct()


class DisputeCase(TimeStampedModel, DemoMixin):
    class Stage(models.TextChoices):
        INTAKE = "intake", _("受理")
        MEDIATING = "mediating", _("调解中")
        SETTLED = "settled", _("调解成功")
        FAILED = "failed", _("调解不成")
        ARBITRATION = "arbitration", _("仲裁")
        LITIGATION = "litigation", _("诉讼")
        WITHDRAWN = "withdrawn", _("撤回")
        CLOSED = "closed", _("结案")

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("调解结案")
        ARBITRATED = "arbitrated", _("仲裁结案")
        JUDGED = "judged", _("诉讼结案")
        WITHDRAWN = "withdrawn", _("撤回")
        OTHER = "other", _("其他")

    class Performance(models.TextChoices):
        FULL = "full", _("已履行")
        PARTIAL = "partial", _("部分履行")
        NONE = "none", _("未履行")

    number = models.CharField(_("案件编号"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    station = models.ForeignKey(
        LegalStation, verbose_name=_("受理站点"), on_delete=models.PROTECT, related_name="cases"
    )
    respondent_name = models.CharField(_("被申请人（用人单位）"), max_length=120)
    respondent = models.ForeignKey(
        Organization, verbose_name=_("被申请单位（已登记）"), on_delete=models.SET_NULL, null=True, blank=True
    )
    topic = models.CharField(_("争议类型"), max_length=12, choices=Topic.choices)
    claim = models.TextField(_("请求事项"))
    amount_claimed = models.DecimalField(_("请求金额（元）"), max_digits=12, decimal_places=2, default=0)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("调解员"), blank=True, related_name="mediated_cases"
    )
    lawyer = models.ForeignKey(
        LawyerProfile, verbose_name=_("律师"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    source_consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("来源咨询"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_case",
    )
    is_new_form = models.BooleanField(_("新就业形态"), default=False)
    arose_on = models.DateField(_("争议发生日期"))
    applied_on = models.DateField(_("申请调解日期"))
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.INTAKE)
    outcome = models.CharField(_("结案方式"), max_length=12, choices=Outcome.choices, blank=True)
    agreement_file = models.FileField(
        _("调解协议书"), storage=private_storage, upload_to=private_upload_to("legal/agreements"), blank=True
    )
    amount_agreed = models.DecimalField(_("协议金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    payment_due = models.DateField(_("约定履行日期"), null=True, blank=True)
    performance = models.CharField(_("履行情况"), max_length=8, choices=Performance.choices, blank=True)
    arbitration_commission = models.CharField(_("仲裁委员会"), max_length=80, blank=True)
    arbitration_date = models.DateField(_("申请仲裁日期"), null=True, blank=True)
    court = models.CharField(_("法院"), max_length=80, blank=True)
    court_case_number = models.CharField(_("法院案号"), max_length=60, blank=True)
    amount_recovered = models.DecimalField(_("挽回金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    settled_on = models.DateField(_("调解成功日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-sequence"]
        verbose_name = _("劳动争议调解案件")
        verbose_name_plural = _("劳动争议调解案件")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="legal_aid_case_year_sequence_unique"),
            models.CheckConstraint(
                condition=~Q(stage="settled") | ~Q(agreement_file=""), name="legal_aid_settled_has_agreement"
            ),
            models.CheckConstraint(condition=~Q(stage="closed") | ~Q(outcome=""), name="legal_aid_closed_case_outcome"),
            models.CheckConstraint(condition=Q(amount_claimed__gte=0), name="legal_aid_case_amount_positive"),
        ]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["applied_on"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("legal_aid:case", args=[self.pk])

    @property
    def day_15(self) -> datetime.date:
        return self.applied_on + datetime.timedelta(days=15)

    @property
    def arbitration_limit(self) -> datetime.date:
        """The one-year arbitration limit (劳动争议调解仲裁法 第二十七条) counted from when the dispute arose."""
        try:
            return self.arose_on.replace(year=self.arose_on.year + 1)
        except ValueError:  # 29 February
            return self.arose_on + datetime.timedelta(days=365)


class CaseApplicant(TimeStampedModel):
    case = models.ForeignKey(DisputeCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="applicants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("职工账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_applications",
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_representative = models.BooleanField(_("集体争议代表"), default=False)

    class Meta:
        ordering = ["case", "-is_representative", "pk"]
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")

    def __str__(self):
        return self.name


class CaseSession(TimeStampedModel):
    case = models.ForeignKey(DisputeCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    attendees = models.CharField(_("参加人员"), max_length=300)
    minutes = models.TextField(_("调解笔录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["case", "held_on", "pk"]
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")

    def __str__(self):
        return f"{self.case} {self.held_on}"


class CaseDocument(TimeStampedModel):
    case = models.ForeignKey(DisputeCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("标题"), max_length=100)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=private_upload_to("legal/cases"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("案件材料")
        verbose_name_plural = _("案件材料")

    def __str__(self):
        return self.title


class CaseEvent(TimeStampedModel):
    """One line of a case's timeline: every change of the case adds one."""

    case = models.ForeignKey(DisputeCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    stage = models.CharField(_("阶段"), max_length=12, choices=DisputeCase.Stage.choices)
    text = models.CharField(_("内容"), max_length=300)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        verbose_name = _("案件动态")
        verbose_name_plural = _("案件动态")

    def __str__(self):
        return self.text


class ConflictCheck(TimeStampedModel):
    """The recorded result of comparing a lawyer's or mediator's ties with the respondent employer."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="conflict_checks"
    )
    case = models.ForeignKey(
        DisputeCase, on_delete=models.CASCADE, null=True, blank=True, related_name="conflict_checks"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("被审查人"), on_delete=models.PROTECT, related_name="+"
    )
    employer_name = models.CharField(_("对方单位"), max_length=120, blank=True)
    cleared = models.BooleanField(_("通过"))
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    override_reason = models.CharField(_("强制指派理由"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("利益冲突审查")
        verbose_name_plural = _("利益冲突审查")
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False) | Q(case__isnull=False), name="legal_aid_check_has_subject"
            )
        ]

    def __str__(self):
        return f"{self.person} · {'✓' if self.cleared else '✗'}"


# --- Service ledger ------------------------------------------------------------------------


class LedgerEntry(TimeStampedModel, DemoMixin):
    class Channel(models.TextChoices):
        VISIT = "visit", _("到站")
        PHONE = "phone", _("电话")
        ENTERPRISE = "enterprise", _("入企")
        EVENT = "event", _("活动现场")

    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    date = models.DateField(_("日期"))
    channel = models.CharField(_("服务方式"), max_length=12, choices=Channel.choices)
    topic = models.CharField(_("问题类型"), max_length=12, choices=Topic.choices)
    people = models.PositiveIntegerField(_("服务人数"))
    new_form_people = models.PositiveIntegerField(_("其中新就业形态劳动者"), default=0)
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("来源咨询"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("服务台账")
        verbose_name_plural = _("服务台账")
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="legal_aid_ledger_people_positive"),
            models.CheckConstraint(
                condition=Q(new_form_people__lte=models.F("people")), name="legal_aid_ledger_new_form_le_people"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.station} {self.date} {self.people}"


# --- Legal events --------------------------------------------------------------------------


class LegalEventQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=LegalEvent.Status.DRAFT)


class LegalEvent(TimeStampedModel, DemoMixin):
    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("法治宣传")
        CASE_LAW = "case_law", _("以案普法")
        COURT_CLASS = "court_class", _("实景课堂庭审观摩")
        ENTERPRISE = "enterprise", _("送法进企业")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("报名中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    series_number = models.PositiveSmallIntegerField(_("期数"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=150)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=150)
    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    partner = models.CharField(_("合作单位"), max_length=100, blank=True)
    case_type = models.CharField(_("案件类型"), max_length=100, blank=True)
    judge = models.CharField(_("审判员"), max_length=40, blank=True)
    capacity = models.PositiveIntegerField(_("公开报名名额"), default=0)
    description = models.TextField(_("介绍"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    head_count = models.PositiveIntegerField(_("到场人数"), null=True, blank=True)
    news_url = models.CharField(_("新闻报道链接"), max_length=300, blank=True)
    handout = models.FileField(_("宣传资料"), upload_to="legal/handouts/%Y/", blank=True)

    objects = LegalEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("法治活动")
        verbose_name_plural = _("法治活动")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "series_number"],
                condition=Q(series_number__isnull=False),
                name="legal_aid_event_series_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return object_path("legal_aid:event", self.pk)

    @property
    def display_title(self) -> str:
        if self.series_number:
            return _("第%(n)s期 %(title)s") % {"n": self.series_number, "title": self.title}
        return self.title

    @property
    def upcoming(self) -> bool:
        return self.status == self.Status.OPEN and self.starts_at > timezone.now()


class EventInvitee(TimeStampedModel):
    class Category(models.TextChoices):
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")
        ENTERPRISE = "enterprise", _("企业代表")
        CADRE = "cadre", _("工会干部")
        OTHER = "other", _("其他")

    event = models.ForeignKey(LegalEvent, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("姓名"), max_length=40)
    category = models.CharField(_("身份"), max_length=12, choices=Category.choices)
    organization = models.CharField(_("单位"), max_length=100, blank=True)
    attended = models.BooleanField(_("已到场"), default=False)

    class Meta:
        ordering = ["event", "category", "name"]
        verbose_name = _("特邀嘉宾")
        verbose_name_plural = _("特邀嘉宾")

    def __str__(self):
        return self.name


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("报名成功")
        WAITING = "waiting", _("候补")
        CANCELLED = "cancelled", _("已取消")

    event = models.ForeignKey(
        LegalEvent, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("职工"), on_delete=models.CASCADE, related_name="legal_registrations"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=~Q(status="cancelled"), name="legal_aid_one_live_registration"
            )
        ]

    def __str__(self):
        return f"{self.event} · {self.user}"


# --- Audit ---------------------------------------------------------------------------------


class AuditLog(models.Model):
    """Append-only: who viewed or changed which consultation or case, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        CREATE = "create", _("创建")
        CHANGE = "change", _("修改")
        DOWNLOAD = "download", _("下载附件")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        DisputeCase, verbose_name=_("案件"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("内容"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("访问与操作日志")
        verbose_name_plural = _("访问与操作日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("日志只能追加，不能删除。"))
