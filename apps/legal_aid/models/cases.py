"""Dispute cases: applicants, mediation sessions, documents, the timeline and conflict checks."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.core.private_files import private_storage, private_upload_to

from .choices import Topic
from .consultations import Consultation
from .rota import LawyerProfile
from .stations import LegalStation


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
    sequence = models.PositiveIntegerField(pgettext_lazy("case sequence", "序号"))
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

    def role_holders(self, role: str):
        """People this case names for a role (``users_holding("mediator", obj=case)``): its mediators."""
        if role == "mediator":
            return self.mediators.all()
        return self.mediators.none()

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
    phone = models.CharField(pgettext_lazy("phone number", "联系电话"), max_length=30, blank=True)
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
    cleared = models.BooleanField(pgettext_lazy("conflict check", "通过"))
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
