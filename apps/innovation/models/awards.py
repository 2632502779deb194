"""Decisions, the 公示 with its objections, and awards (city ones made by publishing, outside ones entered)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, TimeStampedModel
from apps.core.private_files import private_storage, private_upload_to, validate_private_file

from .campaigns import Campaign
from .projects import Project

User = settings.AUTH_USER_MODEL


def certificate_upload_to(instance, filename):
    return private_upload_to("innovation/certificates")(instance, filename)


class AwardLevel(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    EXCELLENT = "excellent", _("优秀奖")
    NONE = "none", _("不授奖")


class Decision(TimeStampedModel):
    """The committee's decision on a project: a score never becomes an award by itself."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="decision")
    level = models.CharField(_("评定等级"), max_length=10, choices=AwardLevel.choices)
    recommend_upward = models.BooleanField(_("推荐参评泰州"), default=False)
    note = models.CharField(_("评审委员会意见"), max_length=300, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"))

    class Meta:
        ordering = ["project"]
        verbose_name = _("评定决定")
        verbose_name_plural = _("评定决定")

    def __str__(self):
        return f"{self.project} · {self.get_level_display()}"


class Publicity(TimeStampedModel):
    """公示 of a campaign's proposed awards for N days."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="publicity")
    starts = models.DateField(_("公示开始"))
    ends = models.DateField(_("公示结束"))
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="innov_publicity_dates")]

    def __str__(self):
        return f"{self.campaign} 公示"


class Objection(TimeStampedModel):
    """An objection to a proposed award; each is resolved with a reason before awards are published."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="innovation_objections")
    text = models.TextField(_("异议内容"))
    resolution = models.TextField(_("处理意见"), blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["publicity", "pk"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""), name="innov_objection_resolution"
            )
        ]

    def __str__(self):
        return f"{self.project} · {self.text[:20]}"


class AwardQuerySet(models.QuerySet):
    def public(self):
        return self.filter(Q(project__isnull=True) | Q(project__is_confidential=False))


class Award(TimeStampedModel, DemoMixin):
    """An honour: city awards by level, Taizhou project/person awards, province, national."""

    class Kind(models.TextChoices):
        CITY = "city", _("市职工技术创新成果奖")
        TAIZHOU_PROJECT = "taizhou_project", _("泰州市优秀技术创新成果奖")
        WUYI_MEDAL = "wuyi_medal", _("泰州市五一劳动奖章")
        WUYI_INNOVATOR = "wuyi_innovator", _("泰州市五一创新能手")
        PROVINCE = "province", _("省级奖项")
        NATIONAL = "national", _("国家级奖项")

    PERSON_KINDS = (Kind.WUYI_MEDAL, Kind.WUYI_INNOVATOR)

    kind = models.CharField(_("奖项"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("等级"), max_length=10, choices=AwardLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    issuer = models.CharField(_("颁发单位"), max_length=80, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    recipient = models.ForeignKey(
        User, verbose_name=_("获奖人账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(_("获奖人"), max_length=60, blank=True)
    recipient_employer = models.CharField(_("获奖人单位"), max_length=120, blank=True)
    certificate = models.FileField(
        _("证书扫描件"),
        storage=private_storage,
        upload_to=certificate_upload_to,
        validators=[validate_private_file],
        blank=True,
    )
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(recipient_name=""), name="innov_award_has_subject"
            ),
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=Q(project__isnull=False),
                name="innov_award_once_per_kind",
                violation_error_message=_("该项目已录入过此奖项。"),
            ),
        ]

    def __str__(self):
        subject = self.project.title if self.project_id else self.recipient_name
        return f"{self.year} {self.get_kind_display()} {self.get_level_display()} · {subject}"
