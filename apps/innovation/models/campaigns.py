"""Campaigns: the yearly "三十、五小" round, its phases, what reviewers may do in each, the rubric."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, TimeStampedModel

User = settings.AUTH_USER_MODEL


class Phase(models.TextChoices):
    """The phases of a campaign, one active at a time, in this order."""

    ENTRY = "entry", _("申报")
    ENDORSEMENT = "endorsement", _("单位推荐")
    SCREENING = "screening", _("形式审查")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    FINAL_REVIEW = "final_review", _("复审/答辩")
    PUBLICITY = "publicity", _("公示")
    PUBLISHED = "published", _("表彰发布")


PHASE_ORDER = [value for value, _label in Phase.choices]
REVIEW_PHASES = (Phase.EXPERT_REVIEW, Phase.FINAL_REVIEW)


class Category(TimeStampedModel, DemoMixin):
    """A kind of project a campaign may offer (五小, 技术创新成果, 合理化建议, 先进操作法 …)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    group = models.CharField(
        pgettext_lazy("category group", "归类"),
        max_length=20,
        blank=True,
        help_text=_("如“五小”；“三十”涵盖哪些类别由此设置"),
    )
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")

    def __str__(self):
        return self.name


class CampaignQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class Campaign(TimeStampedModel, DemoMixin):
    """One year's "三十、五小" campaign: categories, entry window, rubric, quotas, current phase."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=120)
    categories = models.ManyToManyField(Category, verbose_name=_("申报类别"), related_name="campaigns")
    phase = models.CharField(_("当前阶段"), max_length=20, choices=Phase.choices, default=Phase.ENTRY)
    entry_opens = models.DateField(_("申报开始"))
    entry_closes = models.DateField(_("申报截止"))
    review_due = models.DateField(_("评审截止"), null=True, blank=True)
    min_reviewers = models.PositiveSmallIntegerField(
        _("每项目至少评审专家数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    drop_extremes_from = models.PositiveSmallIntegerField(
        _("去掉最高最低分的最少评审人数"),
        default=5,
        help_text=_("评审人数达到此数时去掉一个最高分和一个最低分；0 为不去掉"),
    )
    disagreement_threshold = models.DecimalField(
        _("分歧阈值"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.00"),
        help_text=_("最高与最低加权分之差超过此值时提示分歧"),
    )
    shortlist_size = models.PositiveSmallIntegerField(_("进入复审的项目数"), default=0)
    quota_first = models.PositiveSmallIntegerField(_("一等奖名额"), default=0)
    quota_second = models.PositiveSmallIntegerField(_("二等奖名额"), default=0)
    quota_third = models.PositiveSmallIntegerField(_("三等奖名额"), default=0)
    quota_excellent = models.PositiveSmallIntegerField(_("优秀奖名额"), default=0)
    taizhou_quota = models.PositiveSmallIntegerField(_("推荐泰州名额"), default=0)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=7, validators=[MinValueValidator(1)])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("创新活动")
        verbose_name_plural = _("创新活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_closes__gte=models.F("entry_opens")), name="innov_campaign_window"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.entry_opens and self.entry_closes and self.entry_closes < self.entry_opens:
            raise ValidationError({"entry_closes": gettext("申报截止日期不能早于开始日期。")})

    def entry_open_on(self, day: datetime.date) -> bool:
        return self.entry_opens <= day <= self.entry_closes


class PhaseSetting(TimeStampedModel, DemoMixin):
    """What reviewers may do and see in one phase of one campaign."""

    class Scope(models.TextChoices):
        ASSIGNED = "assigned", _("仅指派给本人的项目")
        ALL = "all", _("全部项目")

    class Others(models.TextChoices):
        NEVER = "never", _("不可见")
        AFTER_OWN = "after_own", _("提交本人评审后可见")
        ALWAYS = "always", _("始终可见")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phase_settings")
    phase = models.CharField(pgettext_lazy("review phase", "阶段"), max_length=20, choices=Phase.choices)
    reviewers_write = models.BooleanField(_("评审专家可评分"), default=False)
    scope = models.CharField(_("专家可见项目"), max_length=10, choices=Scope.choices, default=Scope.ASSIGNED)
    others_reviews = models.CharField(_("他人评审可见"), max_length=10, choices=Others.choices, default=Others.NEVER)
    hide_identity = models.BooleanField(_("隐藏申报人姓名和单位"), default=False)
    starts = models.DateField(_("开始日期"), null=True, blank=True)
    ends = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "phase"]
        verbose_name = _("阶段设置")
        verbose_name_plural = _("阶段设置")
        constraints = [models.UniqueConstraint(fields=["campaign", "phase"], name="innov_phase_setting_unique")]

    def __str__(self):
        return f"{self.campaign} · {self.get_phase_display()}"

    def others_visible(self, *, own_submitted: bool) -> bool:
        """Whether a reviewer sees the other reviewers' submitted reviews (after their own, if so set)."""
        return self.others_reviews == self.Others.ALWAYS or (
            self.others_reviews == self.Others.AFTER_OWN and own_submitted
        )


class RubricCriterion(TimeStampedModel, DemoMixin):
    """One line of a campaign's rubric. Independent criteria are shown but never totalled."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("权重"), default=0)
    required = models.BooleanField(_("必评"), default=True)
    independent = models.BooleanField(_("独立项（不计入总分）"), default=False)
    options = models.CharField(
        _("选项"), max_length=60, blank=True, help_text=_("独立项的选项，用“/”分隔，如 是/可/否")
    )
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "排序"), default=0)

    class Meta:
        ordering = ["campaign", "sort_order", "pk"]
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="innov_criterion_unique")]

    def __str__(self):
        return self.name

    @property
    def option_list(self) -> list[str]:
        return [part.strip() for part in self.options.split("/") if part.strip()]
