"""Declared projects: the team and its shares, private attachments, the status log."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.core.paths import object_path
from apps.core.private_files import private_storage, private_upload_to, validate_private_file

from .campaigns import Campaign, Category

User = settings.AUTH_USER_MODEL


# Module-level upload paths: migrations must be able to import them by name.
def attachment_upload_to(instance, filename):
    return private_upload_to("innovation/attachments")(instance, filename)


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Projects anyone may see: awarded (or recommended upward) and not a business secret."""
        return self.filter(status=Project.Status.AWARDED, is_confidential=False)

    def declared(self):
        return self.exclude(status__in=[Project.Status.DRAFT, Project.Status.WITHDRAWN])


class Project(TimeStampedModel, DemoMixin):
    """A declared innovation: team, problem, solution, benefit, proof; follows the review workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待单位推荐")
        RETURNED = "returned", _("单位退回")
        ENDORSED = "endorsed", _("单位已推荐")
        RETURNED_FOR_FIX = "returned_for_fix", _("形式审查退回修改")
        SCREENED = "screened", _("通过形式审查")
        UNDER_REVIEW = "under_review", _("专家评审中")
        RANKED = "ranked", _("已排名")
        DECIDED = "decided", _("已评定")
        PUBLICITY = "publicity", _("公示中")
        AWARDED = "awarded", _("获奖")
        NOT_AWARDED = "not_awarded", _("未获奖")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Usage(models.TextChoices):
        IN_USE = "in_use", _("已推广应用")
        TRIAL = "trial", _("试用中")

    class Source(models.TextChoices):
        KEY_TASK = "key_task", _("年度重点任务")
        OVERHAUL = "overhaul", _("大修技改")
        UPGRADE = "upgrade", _("技术升级")
        TEAM_MGMT = "team_mgmt", _("班组管理")
        QC = "qc", _("QC")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=pgettext_lazy("innovation campaign", "活动"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("项目名称"), max_length=120)
    summary = models.CharField(
        pgettext_lazy("project summary", "简介"), max_length=300, blank=True, help_text=_("可公开的一句话简介")
    )
    employer = models.ForeignKey(
        Organization, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="innovation_projects"
    )
    owner = models.ForeignKey(
        User, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="innovation_projects", null=True
    )
    problem = models.TextField(_("要解决的问题"), blank=True)
    solution = models.TextField(_("创新内容与解决方案"), blank=True)
    money_saved = models.DecimalField(
        _("年节约/创效（万元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    money_method = models.TextField(_("效益计算方法"), blank=True)
    other_benefit = models.TextField(_("安全、质量和社会效益"), blank=True)
    usage = models.CharField(_("应用情况"), max_length=10, choices=Usage.choices, default=Usage.TRIAL)
    source_tags = models.JSONField(_("来源"), default=list, blank=True)
    patents = models.CharField(_("专利情况"), max_length=200, blank=True)
    is_confidential = models.BooleanField(
        _("涉及企业技术秘密"), default=False, help_text=_("勾选后，只有经企业同意才公开名称和简介")
    )
    public_consent = models.BooleanField(_("企业同意公开名称和简介"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    status_note = models.CharField(_("退回/处理意见"), max_length=300, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("创新项目")
        verbose_name_plural = _("创新项目")
        indexes = [models.Index(fields=["campaign", "status"])]
        constraints = [models.CheckConstraint(condition=Q(money_saved__gte=0), name="innov_project_money_nonneg")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_path("innovation:project", self.pk)

    @property
    def source_labels(self) -> list[str]:
        labels = dict(self.Source.choices)
        return [str(labels[tag]) for tag in self.source_tags if tag in labels]

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.AWARDED and not self.is_confidential

    def role_holders(self, role: str):
        """Who speaks for this project in a role: its employer's enterprise union."""
        from django.contrib.auth import get_user_model

        if role == "enterprise_union":
            return get_user_model().objects.filter(employer_id=self.employer_id)
        return get_user_model().objects.none()


class TeamMember(TimeStampedModel, DemoMixin):
    """A person on a project's team with a role and a share; a team's shares total 100 %."""

    class Role(models.TextChoices):
        FIRST = "first", _("第一完成人")
        MAIN = "main", _("主要完成人")
        PARTICIPANT = "participant", _("参与人")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="innovation_teams"
    )
    name = models.CharField(_("姓名"), max_length=30)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    share = models.PositiveSmallIntegerField(
        _("贡献份额（%）"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "排序"), default=0)

    class Meta:
        ordering = ["project", "sort_order", "pk"]
        verbose_name = _("完成人")
        verbose_name_plural = _("完成人")
        constraints = [
            models.CheckConstraint(condition=Q(share__gte=1, share__lte=100), name="innov_team_share_range"),
            models.UniqueConstraint(fields=["project", "name"], name="innov_team_name_unique"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()} {self.share}%）"


class Attachment(TimeStampedModel):
    """Proof or an attachment of a project: stored privately, served by a checked view only."""

    class Kind(models.TextChoices):
        PROOF = "proof", _("效益证明")
        ATTACHMENT = "attachment", _("附件")
        PATENT = "patent", _("专利证书")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.ATTACHMENT)
    title = models.CharField(pgettext_lazy("description", "说明"), max_length=80)
    file = models.FileField(
        _("文件"),
        storage=private_storage,
        upload_to=attachment_upload_to,
        validators=[validate_private_file],
    )

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("项目附件")
        verbose_name_plural = _("项目附件")

    def __str__(self):
        return self.title


class ProjectEvent(DemoMixin):
    """Audit log of a project's status changes and recusals (who, when, why)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(pgettext_lazy("description", "说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["project", "created_at", "pk"]
        verbose_name = _("项目记录")
        verbose_name_plural = _("项目记录")

    def __str__(self):
        return f"{self.project_id}: {self.from_status} → {self.to_status}"

    @property
    def to_status_label(self) -> str:
        """The status this event led to, in words (the column keeps the key; pages never show it)."""
        return str(dict(Project.Status.choices).get(self.to_status, "")) if self.to_status else ""
