"""Expert review: the reviewer pool, assignments and recusals, scores, the ranking."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel

from .campaigns import Category, Phase, RubricCriterion
from .projects import Project

User = settings.AUTH_USER_MODEL


class ReviewerProfile(TimeStampedModel, DemoMixin):
    """A member of the expert pool: employer (never reviews its projects), specialties, load."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="reviewer_profile")
    employer = models.ForeignKey(
        Organization, verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="innovation_reviewers"
    )
    titles = models.CharField(_("职称"), max_length=80, blank=True)
    specialties = models.ManyToManyField(Category, verbose_name=_("专长类别"), blank=True, related_name="reviewers")
    max_load = models.PositiveSmallIntegerField(_("每阶段最多评审项目数"), default=20)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self):
        return str(self.user)


class ReviewAssignment(TimeStampedModel, DemoMixin):
    """A reviewer assigned to a project in a review phase; a recusal (with reason) ends it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="innovation_assignments")
    phase = models.CharField(
        pgettext_lazy("review phase", "阶段"), max_length=20, choices=Phase.choices, default=Phase.EXPERT_REVIEW
    )
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    automatic = models.BooleanField(_("自动指派"), default=False)
    recused_at = models.DateTimeField(_("回避时间"), null=True, blank=True)
    recusal_reason = models.CharField(_("回避理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("评审指派")
        verbose_name_plural = _("评审指派")
        constraints = [
            models.UniqueConstraint(fields=["project", "reviewer", "phase"], name="innov_assignment_unique"),
            models.CheckConstraint(
                condition=Q(recused_at__isnull=True) | ~Q(recusal_reason=""), name="innov_recusal_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.project}"

    @property
    def is_recused(self) -> bool:
        return self.recused_at is not None


class Review(TimeStampedModel, DemoMixin):
    """One reviewer's scores of one project in one phase; draft until submitted, locked at phase close."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="innovation_reviews")
    phase = models.CharField(
        pgettext_lazy("review phase", "阶段"), max_length=20, choices=Phase.choices, default=Phase.EXPERT_REVIEW
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    private_comment = models.TextField(_("评审意见（不公开）"), blank=True)
    feedback = models.TextField(_("给申报人的反馈（结果发布后可见）"), blank=True)
    weighted_total = models.DecimalField(_("加权总分"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    locked = models.BooleanField(_("已锁定"), default=False)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        constraints = [
            models.UniqueConstraint(fields=["project", "reviewer", "phase"], name="innov_review_unique"),
            models.CheckConstraint(
                condition=Q(weighted_total__isnull=True) | Q(weighted_total__gte=0, weighted_total__lte=10),
                name="innov_review_total_range",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.project}"


class Score(DemoMixin):
    """A score (0–10, or n/a = empty) or an option (independent criteria) of one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("分数"), max_digits=4, decimal_places=1, null=True, blank=True)
    option = models.CharField(_("选项"), max_length=20, blank=True)

    class Meta:
        ordering = ["review", "criterion__sort_order"]
        verbose_name = pgettext_lazy("review", "评分")
        verbose_name_plural = pgettext_lazy("review", "评分")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="innov_score_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=10), name="innov_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value if self.value is not None else self.option or 'n/a'}"


class RankingEntry(TimeStampedModel, DemoMixin):
    """A project's computed place within its category for one review phase (recomputed on demand)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rankings")
    phase = models.CharField(pgettext_lazy("review phase", "阶段"), max_length=20, choices=Phase.choices)
    reviews_count = models.PositiveSmallIntegerField(_("有效评审数"))
    dropped_extremes = models.BooleanField(_("去掉最高最低分"), default=False)
    mean = models.DecimalField(_("平均加权分"), max_digits=5, decimal_places=2)
    spread = models.DecimalField(_("最高最低差"), max_digits=5, decimal_places=2)
    disagreement = models.BooleanField(_("分歧"), default=False)
    rank = models.PositiveIntegerField(_("类别内名次"))

    class Meta:
        ordering = ["project__category__sort_order", "rank"]
        verbose_name = _("排名")
        verbose_name_plural = _("排名")
        constraints = [models.UniqueConstraint(fields=["project", "phase"], name="innov_ranking_unique")]

    def __str__(self):
        return f"{self.project} #{self.rank}"
