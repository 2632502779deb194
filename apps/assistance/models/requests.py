"""A help request (帮扶申请): one household's file (一户一档) from the first draft to closing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel, Town


class IncomeBand(models.TextChoices):
    BELOW_DIBAO = "below_dibao", _("低于当地低保标准")
    DIBAO_1_5 = "dibao_1_5", _("低保标准的 1–1.5 倍")
    DIBAO_2 = "dibao_2", _("低保标准的 1.5–2 倍")
    ABOVE = "above", _("低保标准的 2 倍以上")


class Reason(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    DISASTER = "disaster", _("因灾")
    SCHOOLING = "schooling", _("子女就学")
    ACCIDENT = "accident", _("意外致困")
    OTHER = "other", _("其他")


# Reasons whose story and papers are health data (敏感个人信息): separate consent.
HEALTH_REASONS = (Reason.ILLNESS, Reason.DISABILITY)


class AskedHelp(models.TextChoices):
    LIVING = "living", _("生活救助")
    MEDICAL = "medical", _("医疗救助")
    SCHOOLING = "schooling", _("助学")
    OTHER = "other", _("其他")


class Band(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")


class Filer(models.TextChoices):
    SELF = "self", _("本人")
    FAMILY = "family", _("家庭成员")
    UNION = "union", _("工会代为申请")


OPEN_STATES = ("submitted", "accepted", "visited", "checked", "publicity")
# In the scheme (帮扶对象): help decided or given, re-checked every year until the case closes.
SCHEME_STATES = ("decided", "helped", "follow_up")


class HelpRequestQuerySet(models.QuerySet):
    def in_publicity(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state="publicity", publicity_from__lte=today, publicity_until__gte=today)

    def in_scheme(self):
        return self.filter(state__in=SCHEME_STATES)

    def recheck_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.in_scheme().filter(recheck_due_on__lt=today)


class HelpRequest(TimeStampedModel, DemoMixin):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交，待初审")
        RETURNED = "returned", _("已退回，请补充")
        ACCEPTED = "accepted", _("初审通过，待入户调查")
        VISITED = "visited", _("已入户调查，待核对")
        CHECKED = "checked", _("已核对，待公示")
        PUBLICITY = "publicity", _("公示中")
        DECIDED = "decided", _("已认定帮扶")
        REFUSED = "refused", _("不予帮扶")
        HELPED = "helped", _("已发放帮扶")
        FOLLOW_UP = "follow_up", _("跟踪帮扶中")
        CLOSED = "closed", _("已结案")

    class CheckResult(models.TextChoices):
        MATCH = "match", _("核对相符")
        MISMATCH = "mismatch", _("核对不符")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="help_requests"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filer = models.CharField(_("填报人身份"), max_length=8, choices=Filer.choices, default=Filer.SELF)
    applicant_name = models.CharField(_("申请人姓名"), max_length=40)
    phone = models.CharField(pgettext_lazy("phone number", "联系电话"), max_length=20)
    town = models.ForeignKey(
        Town, verbose_name=pgettext_lazy("town", "乡镇/街道"), on_delete=models.PROTECT, null=True, blank=True
    )
    employer_name = models.CharField(_("工作单位"), max_length=120, blank=True)
    union = models.ForeignKey(
        Organization,
        verbose_name=_("受理工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
        limit_choices_to={"kind": "union"},
    )
    union_reason = models.CharField(_("受理依据"), max_length=200, blank=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    household_members = models.CharField(_("家庭成员及关系"), max_length=300, blank=True)
    income_band = models.CharField(_("家庭人均月收入"), max_length=12, choices=IncomeBand.choices, blank=True)
    reason = models.CharField(_("致困原因"), max_length=12, choices=Reason.choices, blank=True)
    story = models.TextField(_("困难情况"), blank=True)
    asked_help = models.CharField(_("申请帮扶类型"), max_length=10, choices=AskedHelp.choices, blank=True)
    asked_amount = models.DecimalField(_("申请金额（元）"), max_digits=9, decimal_places=2, null=True, blank=True)
    consent_at = models.DateTimeField(_("同意隐私告知时间"), null=True, blank=True)
    health_consent_at = models.DateTimeField(_("同意处理健康信息时间"), null=True, blank=True)
    financial_consent_at = models.DateTimeField(_("同意处理收入与财产信息时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    screened_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    check_result = models.CharField(_("民政核对结果"), max_length=10, choices=CheckResult.choices, blank=True)
    check_note = models.CharField(_("核对说明"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    publicity_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    band = models.CharField(_("困难类别"), max_length=10, choices=Band.choices, blank=True)
    help_kind = models.CharField(_("帮扶方式"), max_length=10, choices=AskedHelp.choices, blank=True)
    help_amount = models.DecimalField(_("核定帮扶金额（元）"), max_digits=9, decimal_places=2, null=True, blank=True)
    help_note = models.CharField(_("帮扶内容"), max_length=300, blank=True)
    refuse_reason = models.CharField(_("不予帮扶原因"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recheck_due_on = models.DateField(_("下次年度复核"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    close_reason = models.CharField(_("结案原因"), max_length=300, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        permissions = [("manage_requests", _("办理全部帮扶申请"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(consent_at__isnull=False, financial_consent_at__isnull=False),
                name="assistance_submitted_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(state="publicity") | Q(publicity_from__isnull=False, publicity_until__isnull=False),
                name="assistance_publicity_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["decided", "helped", "follow_up"]) | ~Q(band=""),
                name="assistance_decided_has_band",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "publicity_until"]),
            models.Index(fields=["union", "state"]),
            models.Index(fields=["recheck_due_on"]),
        ]

    def __str__(self):
        return _("帮扶申请 #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("assistance:request", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def masked_name(self) -> str:
        """刘* — the family name and a star, as the 公示 shows it."""
        name = (self.applicant_name or "").strip()
        return f"{name[:1]}*" if name else "*"

    @property
    def recheck_overdue(self) -> bool:
        return (
            self.state in SCHEME_STATES
            and self.recheck_due_on is not None
            and self.recheck_due_on < timezone.localdate()
        )

    @property
    def needs_health_consent(self) -> bool:
        return self.reason in HEALTH_REASONS
