"""Consultations, their attachments and the callback attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel, Town
from apps.core.private_files import private_storage, private_upload_to

from .choices import Topic
from .rota import DutyShift, LawyerProfile
from .stations import LegalStation

OPEN_STATES = ("submitted", "triaged", "scheduled")


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)


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
    contact_phone = models.CharField(pgettext_lazy("phone number", "联系电话"), max_length=30)
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
    topic = models.CharField(pgettext_lazy("legal topic", "问题类型"), max_length=12, choices=Topic.choices)
    employer_name = models.CharField(_("用人单位"), max_length=120, blank=True)
    employer = models.ForeignKey(
        Organization, verbose_name=_("用人单位（已登记）"), on_delete=models.SET_NULL, null=True, blank=True
    )
    town = models.ForeignKey(
        Town, verbose_name=pgettext_lazy("town", "乡镇/街道"), on_delete=models.SET_NULL, null=True, blank=True
    )
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
    rating_comment = models.CharField(pgettext_lazy("rating comment", "评价"), max_length=200, blank=True)
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
    def no_show_due(self) -> bool:
        """A booked slot has begun and the worker is still expected: the handler may record a no-show."""
        return (
            self.status == self.Status.SCHEDULED
            and self.shift_id is not None
            and self.shift.starts_at <= timezone.now()
        )

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
