"""职工技术创新: "三十、五小" campaigns, expert review, awards, the points ledger, studios, 助企行."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.core.paths import object_path
from apps.core.private_files import private_storage, private_upload_to, validate_private_file

User = settings.AUTH_USER_MODEL


# Module-level upload paths: migrations must be able to import them by name.
def attachment_upload_to(instance, filename):
    return private_upload_to("innovation/attachments")(instance, filename)


def certificate_upload_to(instance, filename):
    return private_upload_to("innovation/certificates")(instance, filename)


def contract_upload_to(instance, filename):
    return private_upload_to("innovation/contracts")(instance, filename)


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


class Category(TimeStampedModel):
    """A kind of project a campaign may offer (五小, 技术创新成果, 合理化建议, 先进操作法 …)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    group = models.CharField(_("归类"), max_length=20, blank=True, help_text=_("如“五小”；“三十”涵盖哪些类别由此设置"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

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


class PhaseSetting(TimeStampedModel):
    """What reviewers may do and see in one phase of one campaign."""

    class Scope(models.TextChoices):
        ASSIGNED = "assigned", _("仅指派给本人的项目")
        ALL = "all", _("全部项目")

    class Others(models.TextChoices):
        NEVER = "never", _("不可见")
        AFTER_OWN = "after_own", _("提交本人评审后可见")
        ALWAYS = "always", _("始终可见")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phase_settings")
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices)
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


class RubricCriterion(TimeStampedModel):
    """One line of a campaign's rubric. Independent criteria are shown but never totalled."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("权重"), default=0)
    required = models.BooleanField(_("必评"), default=True)
    independent = models.BooleanField(_("独立项（不计入总分）"), default=False)
    options = models.CharField(
        _("选项"), max_length=60, blank=True, help_text=_("独立项的选项，用“/”分隔，如 是/可/否")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

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

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="projects")
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("项目名称"), max_length=120)
    summary = models.CharField(_("简介"), max_length=300, blank=True, help_text=_("可公开的一句话简介"))
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


class TeamMember(TimeStampedModel):
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
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

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
    title = models.CharField(_("说明"), max_length=80)
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


class ProjectEvent(models.Model):
    """Audit log of a project's status changes and recusals (who, when, why)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["project", "created_at", "pk"]
        verbose_name = _("项目记录")
        verbose_name_plural = _("项目记录")

    def __str__(self):
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class ReviewerProfile(TimeStampedModel):
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


class ReviewAssignment(TimeStampedModel):
    """A reviewer assigned to a project in a review phase; a recusal (with reason) ends it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="innovation_assignments")
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices, default=Phase.EXPERT_REVIEW)
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


class Review(TimeStampedModel):
    """One reviewer's scores of one project in one phase; draft until submitted, locked at phase close."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="innovation_reviews")
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices, default=Phase.EXPERT_REVIEW)
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


class Score(models.Model):
    """A score (0–10, or n/a = empty) or an option (independent criteria) of one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("分数"), max_digits=4, decimal_places=1, null=True, blank=True)
    option = models.CharField(_("选项"), max_length=20, blank=True)

    class Meta:
        ordering = ["review", "criterion__sort_order"]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="innov_score_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=10), name="innov_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value if self.value is not None else self.option or 'n/a'}"


class RankingEntry(TimeStampedModel):
    """A project's computed place within its category for one review phase (recomputed on demand)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rankings")
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices)
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


class PointsRule(TimeStampedModel):
    """A line of 《积分奖励办法》: what earns how many points, split by team share or not."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=120)
    points = models.IntegerField(_("积分"))
    split_by_share = models.BooleanField(_("按贡献份额分配"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

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


class PointsEntry(models.Model):
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


class LeaderboardConsent(TimeStampedModel):
    """A person's consent to show their name on the public points leaderboard."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="leaderboard_consent")
    show_name = models.BooleanField(_("在积分榜公开姓名"), default=False)

    class Meta:
        ordering = ["user"]
        verbose_name = _("积分榜公开授权")
        verbose_name_plural = _("积分榜公开授权")

    def __str__(self):
        return f"{self.user}: {self.show_name}"


class ModelWorker(TimeStampedModel, DemoMixin):
    """劳模工匠库: a model worker or craftsman, shared with the 助企行 team and the 双进 speakers."""

    name = models.CharField(_("姓名"), max_length=30)
    user = models.OneToOneField(
        User, verbose_name=_("账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="model_worker"
    )
    employer = models.ForeignKey(
        Organization, verbose_name=_("工作单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    honours = models.CharField(_("荣誉"), max_length=200, blank=True)
    specialties = models.CharField(_("专长"), max_length=200, blank=True)
    public_consent = models.BooleanField(_("同意公开"), default=False)
    service_team = models.BooleanField(_("助企行服务队成员"), default=False)
    speaker = models.BooleanField(_("双进宣讲人"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("劳模工匠")
        verbose_name_plural = _("劳模工匠库")

    def __str__(self):
        return self.name


class Studio(TimeStampedModel, DemoMixin):
    """劳模/工匠创新工作室."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        TAIZHOU = "taizhou", _("泰州市级")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("全国")

    name = models.CharField(_("名称"), max_length=80, unique=True)
    leader = models.ForeignKey(
        ModelWorker, verbose_name=_("领办人"), on_delete=models.PROTECT, related_name="led_studios"
    )
    employer = models.ForeignKey(Organization, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.CITY)
    field = models.CharField(_("领域"), max_length=60, blank=True)
    members = models.ManyToManyField(ModelWorker, verbose_name=_("成员"), blank=True, related_name="studios")
    founded = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("创新工作室")
        verbose_name_plural = _("创新工作室")

    def __str__(self):
        return self.name


class AllianceMembership(TimeStampedModel):
    """A studio's membership of the 劳模创新工作联盟."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("理事长单位")
        VICE = "vice", _("副理事长单位")
        MEMBER = "member", _("成员单位")

    studio = models.OneToOneField(Studio, on_delete=models.CASCADE, related_name="alliance")
    joined = models.DateField(_("加入日期"))
    role = models.CharField(_("联盟角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["role", "joined"]
        verbose_name = _("联盟成员")
        verbose_name_plural = _("劳模创新工作联盟")

    def __str__(self):
        return f"{self.studio} · {self.get_role_display()}"


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
    note = models.TextField(_("说明"), blank=True)

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
