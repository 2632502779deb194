"""The append-only points ledger of 《积分奖励办法》 and the leaderboard consent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, TimeStampedModel

User = settings.AUTH_USER_MODEL


class PointsRule(TimeStampedModel, DemoMixin):
    """A line of 《积分奖励办法》: what earns how many points, split by team share or not."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    description = models.CharField(pgettext_lazy("description", "说明"), max_length=120)
    points = models.IntegerField(_("积分"))
    split_by_share = models.BooleanField(_("按贡献份额分配"), default=False)
    is_active = models.BooleanField(pgettext_lazy("points rule", "启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self):
        return f"{self.description}（{self.points}）"


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger is never changed in bulk either: corrections are reversing entries."""

    def update(self, **kwargs):
        raise ValidationError(gettext("积分记录只能追加，不能修改；请添加冲正记录。"), code="append_only")

    def delete(self):
        raise ValidationError(gettext("积分记录只能追加，不能删除；请添加冲正记录。"), code="append_only")


class PointsEntry(DemoMixin):
    """One append-only line of the points ledger; a balance is the sum of a person's entries."""

    person = models.ForeignKey(User, verbose_name=_("职工"), on_delete=models.PROTECT, related_name="points_entries")
    rule = models.ForeignKey(PointsRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="entries")
    points = models.IntegerField(_("积分"))
    reason = models.CharField(_("事由"), max_length=200)
    source = models.CharField(_("来源"), max_length=60, help_text=_("如 award:12、project:5:declared"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("冲正的记录"), on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "source"],
                name="innov_points_once",
                violation_error_message=_("这项积分已经发放过，不能重复发放。"),
            )
        ]

    def __str__(self):
        return f"{self.person} {self.points:+d} {self.reason}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(gettext("积分记录只能追加，不能修改；请添加冲正记录。"), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("积分记录只能追加，不能删除；请添加冲正记录。"), code="append_only")


class LeaderboardConsent(TimeStampedModel, DemoMixin):
    """A person's consent to show their name on the public points leaderboard."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="leaderboard_consent")
    show_name = models.BooleanField(_("在积分榜公开姓名"), default=False)

    class Meta:
        ordering = ["user"]
        verbose_name = _("积分榜公开授权")
        verbose_name_plural = _("积分榜公开授权")

    def __str__(self):
        return f"{self.user}: {self.show_name}"
