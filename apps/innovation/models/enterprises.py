"""Work with enterprises: 助企行 service visits, technical problems and 专项集体合同."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.core.private_files import private_storage, private_upload_to, validate_private_file

from .studios import ModelWorker, Studio

User = settings.AUTH_USER_MODEL


def contract_upload_to(instance, filename):
    return private_upload_to("innovation/contracts")(instance, filename)


class ServiceVisit(TimeStampedModel, DemoMixin):
    """劳模工匠助企行: one technical service visit to an enterprise."""

    date = models.DateField(_("日期"), db_index=True)
    enterprise = models.ForeignKey(Organization, verbose_name=_("服务企业"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("服务内容"), max_length=120)
    team = models.ManyToManyField(ModelWorker, verbose_name=_("服务队员"), blank=True, related_name="visits")
    workers_trained = models.PositiveIntegerField(_("培训职工人次"), default=0)
    trainees = models.ManyToManyField(
        User,
        verbose_name=_("参训职工（有账号的）"),
        blank=True,
        related_name="innovation_trainings",
        help_text=_("登记后按《积分奖励办法》给参训职工记“参加职工技能提升培训”积分，每次活动每人一次。"),
    )
    note = models.TextField(pgettext_lazy("description", "说明"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("助企行服务")
        verbose_name_plural = _("助企行服务")

    def __str__(self):
        return f"{self.date} {self.enterprise} {self.topic}"


class TechProblem(TimeStampedModel, DemoMixin):
    """A technical problem posted by an enterprise and taken on by a studio or an expert."""

    class Status(models.TextChoices):
        POSTED = "posted", _("待认领")
        CLAIMED = "claimed", _("已认领")
        IN_PROGRESS = "in_progress", _("攻关中")
        SOLVED = "solved", _("已解决（企业确认）")
        DROPPED = "dropped", _("已终止")

    enterprise = models.ForeignKey(Organization, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("难题"), max_length=120)
    description = models.TextField(_("描述"), blank=True)
    posted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    posted_on = models.DateField(_("发布日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.POSTED, db_index=True)
    claimed_by_studio = models.ForeignKey(
        Studio, verbose_name=_("认领工作室"), on_delete=models.SET_NULL, null=True, blank=True, related_name="problems"
    )
    claimed_by_worker = models.ForeignKey(
        ModelWorker,
        verbose_name=_("认领专家"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    claimed_on = models.DateField(_("认领日期"), null=True, blank=True)
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("成效/终止原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-posted_on", "-pk"]
        verbose_name = _("技术难题")
        verbose_name_plural = _("技术难题")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="solved") | Q(solved_on__isnull=False, confirmed_by__isnull=False),
                name="innov_problem_solved_confirmed",
            )
        ]

    def __str__(self):
        return self.title

    def role_holders(self, role: str):
        from django.contrib.auth import get_user_model

        if role == "enterprise_union":
            return get_user_model().objects.filter(employer_id=self.enterprise_id)
        return get_user_model().objects.none()


class SpecialContract(TimeStampedModel, DemoMixin):
    """《职工技术创新专项集体合同》 signed by an enterprise; reminded 60 days before expiry."""

    enterprise = models.ForeignKey(Organization, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("签订日期"))
    term_years = models.PositiveSmallIntegerField(
        _("期限（年）"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    expires_on = models.DateField(_("到期日期"), editable=False)
    fund = models.DecimalField(_("创新基金（万元）"), max_digits=10, decimal_places=2, default=Decimal("0"))
    reward_ratio = models.CharField(_("奖励比例"), max_length=60, blank=True)
    ip_terms = models.TextField(_("知识产权约定"), blank=True)
    scan = models.FileField(
        _("合同扫描件"),
        storage=private_storage,
        upload_to=contract_upload_to,
        validators=[validate_private_file],
        blank=True,
    )

    class Meta:
        ordering = ["expires_on"]
        verbose_name = _("专项集体合同")
        verbose_name_plural = _("专项集体合同")
        constraints = [
            models.CheckConstraint(condition=Q(term_years__gte=1, term_years__lte=3), name="innov_contract_term")
        ]

    def __str__(self):
        return f"{self.enterprise} {self.signed_on:%Y}"

    def save(self, *args, **kwargs):
        if self.signed_on and self.term_years:
            try:
                self.expires_on = self.signed_on.replace(year=self.signed_on.year + self.term_years)
            except ValueError:  # 29 February
                self.expires_on = self.signed_on.replace(year=self.signed_on.year + self.term_years, day=28)
        super().save(*args, **kwargs)

    def role_holders(self, role: str):
        from django.contrib.auth import get_user_model

        if role == "enterprise_union":
            return get_user_model().objects.filter(employer_id=self.enterprise_id)
        return get_user_model().objects.none()
