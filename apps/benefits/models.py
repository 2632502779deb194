"""普惠服务: the places the union gives away (check-ups, screenings, insurance, rest trips).

A :class:`Programme` is one year's offer of one kind with its places; its places, waiting list,
offers, draw and check-in are the enrolment engine's (``apps.enrolment``): a programme owns one
roster, and the programme's service period is one occasion of it (check-in happens there).
:class:`Rule` rows are the eligibility rules and priority groups, as data, each with the Chinese
sentence a worker sees when it fails. An :class:`Application` is one person's claim, tied to
their enrolment; one person holds at most one application per programme, whichever channel
they came through (a database constraint). :class:`Slot` is an appointment time at a provider.
Health results are never stored: only delivered (checked in) or not.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.enrolment.models import Enrolment, Occasion, Roster


class Kind(models.TextChoices):
    CHECKUP = "checkup", _("健康体检")
    OCCUPATIONAL = "occupational", _("职业病体检")
    SCREENING = "screening", _("“两癌”筛查")
    INSURANCE = "insurance", _("意外伤害保险")
    RETREAT = "retreat", _("疗休养")


HEALTH_KINDS = frozenset({Kind.CHECKUP, Kind.OCCUPATIONAL, Kind.SCREENING, Kind.RETREAT})


class Programme(DemoMixin, TimeStampedModel):
    """One year's offer of places of one kind (its roster holds the places)."""

    class Channel(models.TextChoices):
        INDIVIDUAL = "individual", _("个人申请")
        NOMINATED = "nominated", _("基层工会推荐")
        BOTH = "both", _("个人申请和基层工会推荐")

    class Proof(models.TextChoices):
        ATTENDED = "attended", _("到服务机构签到")
        POLICY = "policy", _("保单已出具")
        TRIP = "trip", _("疗休养已完成")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("介绍"), blank=True)
    organiser = models.ForeignKey(
        Organization,
        verbose_name=_("负责部门"),
        on_delete=models.PROTECT,
        related_name="benefit_programmes",
        limit_choices_to={"kind": "union"},
    )
    providers = models.ManyToManyField(
        Organization, verbose_name=_("服务机构"), blank=True, related_name="benefit_services"
    )
    channel = models.CharField(_("申请渠道"), max_length=12, choices=Channel.choices, default=Channel.INDIVIDUAL)
    proof = models.CharField(_("完成方式"), max_length=10, choices=Proof.choices, default=Proof.ATTENDED)
    needs_appointment = models.BooleanField(_("需要预约时段"), default=True)
    service_starts = models.DateField(_("服务开始日期"))
    service_ends = models.DateField(_("服务结束日期"))
    published = models.BooleanField(_("已发布"), default=False)
    # The seed the officer previewed: running the allocation uses it, so preview and result agree.
    pending_seed = models.CharField(_("预览种子"), max_length=64, blank=True, editable=False)
    roster = models.OneToOneField(
        Roster, verbose_name=_("名额名单"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The service period as one occasion of the roster: check-in at a provider happens there.
    occasion = models.OneToOneField(
        Occasion, verbose_name=_("服务期"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("普惠项目")
        verbose_name_plural = _("普惠项目")
        permissions = [("run_allocation", _("可以运行名额分配"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(service_ends__gte=F("service_starts")), name="benefits_programme_service_order"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("benefits:programme", args=[self.pk])

    @property
    def health_data(self) -> bool:
        """Whether applying shares health information (a separate consent is asked)."""
        return self.kind in HEALTH_KINDS


class Rule(models.Model):
    """An eligibility rule or a priority group of a programme, evaluated on the person's facts."""

    class Purpose(models.TextChoices):
        ELIGIBILITY = "eligibility", _("申请条件")
        PRIORITY = "priority", _("优先组")

    class Check(models.TextChoices):
        FEMALE = "female", _("女职工")
        MEMBER = "member", _("工会会员")
        AGE = "age", _("年龄在范围内（值：最小-最大，如 35-64）")
        OCCUPATION = "occupation", _("职业属于（值：职业代码，逗号分隔）")
        NEW_FORM = "new_form", _("新就业形态劳动者")
        TOWN = "town", _("所在乡镇/街道（值：乡镇名称）")
        NOT_SERVED = "not_served", _("近N年内未参加过同类项目（值：N）")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rules")
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices, default=Purpose.ELIGIBILITY)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    test = models.CharField(_("条件"), max_length=12, choices=Check.choices)
    value = models.CharField(_("值"), max_length=200, blank=True)
    name = models.CharField(_("优先组名称"), max_length=60, blank=True, help_text=_("优先组必填，例如：特种行业"))
    share = models.DecimalField(
        _("优先组名额比例"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("例如 0.5：最多一半名额"),
    )
    message = models.CharField(
        _("不符合时的说明"), max_length=120, blank=True, help_text=_("职工看到的中文说明，例如：仅限女职工")
    )

    class Meta:
        ordering = ["programme", "purpose", "order", "pk"]
        verbose_name = _("条件与优先组")
        verbose_name_plural = _("条件与优先组")

    def __str__(self):
        return self.name or self.get_test_display()


class Slot(TimeStampedModel):
    """An appointment time at a provider: a date, a time and a number of places."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="slots")
    provider = models.ForeignKey(Organization, verbose_name=_("服务机构"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    places = models.PositiveIntegerField(_("可约人数"))
    booked = models.PositiveIntegerField(_("已约人数"), default=0, editable=False)

    class Meta:
        ordering = ["programme", "day", "starts", "pk"]
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("places")), name="benefits_slot_booked_within_places"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="benefits_slot_ends_after"),
        ]

    def __str__(self):
        return f"{self.provider} {self.day:%Y-%m-%d} {self.starts:%H:%M}"

    @property
    def left(self) -> int:
        return max(0, self.places - self.booked)


class Application(DemoMixin, TimeStampedModel):
    """One person's application for a programme (its state is the enrolment's)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="benefit_applications")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="benefit_application")
    reference = models.CharField(_("申请编号"), max_length=20, unique=True)
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Enrolment.Channel.choices)
    nominated_by = models.ForeignKey(
        Organization, verbose_name=_("推荐单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The facts the rules read, as declared when applying (they may be checked).
    declared_sex = models.CharField(_("性别（本人填写）"), max_length=6, blank=True)
    declared_birth_date = models.DateField(_("出生日期（本人填写）"), null=True, blank=True)
    declared_occupation = models.CharField(_("职业（本人填写）"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意个人信息处理时间"))
    health_consent_at = models.DateTimeField(_("同意健康信息处理时间"), null=True, blank=True)
    slot = models.ForeignKey(
        Slot, verbose_name=_("预约时段"), on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    policy_number = models.CharField(_("保单号"), max_length=40, blank=True)

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("普惠申请")
        verbose_name_plural = _("普惠申请")
        constraints = [
            # One place per person per programme, individual or nominated alike.
            models.UniqueConstraint(fields=["programme", "person"], name="benefits_one_application_per_person"),
            models.UniqueConstraint(
                fields=["programme", "policy_number"], condition=~Q(policy_number=""), name="benefits_policy_once"
            ),
        ]

    def __str__(self):
        return self.reference


class ProviderStaff(DemoMixin, TimeStampedModel):
    """A person who works for a provider (hospital, insurer, resort): they see only the people
    sent to that provider."""

    provider = models.ForeignKey(Organization, verbose_name=_("服务机构"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="benefit_provider_posts",
    )

    class Meta:
        ordering = ["provider", "pk"]
        verbose_name = _("服务机构工作人员")
        verbose_name_plural = _("服务机构工作人员")
        constraints = [models.UniqueConstraint(fields=["provider", "user"], name="benefits_provider_staff_once")]

    def __str__(self):
        return f"{self.provider} · {self.user}"
