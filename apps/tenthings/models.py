from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, TimeStampedModel
from apps.core.paths import object_path
from apps.core.private_files import private_storage, private_upload_to
from apps.core.uploads import ImageField, validate_document

from .completion import Status, format_number


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Plan(TimeStampedModel):
    """The ten practical things pledged for one year, voted at a union committee meeting."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("标题"), max_length=120)
    meeting = models.CharField(_("票决会议"), max_length=120, blank=True)
    voted_on = models.DateField(_("票决日期"), null=True, blank=True)
    consecutive_year = models.PositiveSmallIntegerField(
        _("连续第几年"), null=True, blank=True, help_text=_("市总工会连续为职工办实事的第几年")
    )
    summary = models.TextField(_("说明"), blank=True)
    published = models.BooleanField(_("已发布"), default=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度十件实事")
        verbose_name_plural = _("年度十件实事")
        permissions = [("verify_progressreport", _("核实或退回进展填报"))]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="tenthings_plan_year_range"),
        ]

    def __str__(self):
        return self.title or _("%(year)s年十件实事") % {"year": self.year}

    def get_absolute_url(self):
        return object_path("tenthings:year", self.year)


class Item(TimeStampedModel):
    """One of the ten pledges of a plan, with its lead unit and responsible person."""

    plan = models.ForeignKey(Plan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    title = models.CharField(_("事项名称"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    lead_unit = models.ForeignKey(
        Organization,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="led_tenthings_items",
        null=True,
        blank=True,
    )
    co_units = models.ManyToManyField(
        Organization, verbose_name=_("配合单位"), related_name="supported_tenthings_items", blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_tenthings_items",
    )
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"), message=_("权重必须大于 0。"))],
        help_text=_("计算全年完成率时的权重，默认各事项相同"),
    )
    recorded_status = models.CharField(
        _("最近记录的状态"), max_length=10, choices=Status.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("实事项目")
        verbose_name_plural = _("实事项目")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="tenthings_item_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=10), name="tenthings_item_number_range"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="tenthings_item_weight_positive"),
        ]

    def __str__(self):
        return f"{self.plan.year}-{self.number}. {self.title}"

    def get_absolute_url(self):
        return object_path("tenthings:item", self.plan.year, self.number)


class Indicator(TimeStampedModel):
    """A measured target of an item: a quantity (with comparator and unit) or a milestone."""

    class Kind(models.TextChoices):
        QUANTITY = "quantity", _("数量指标")
        MILESTONE = "milestone", _("节点指标")

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("不少于")
        ABOUT = "about", _("约")
        OVER = "over", _("以上")
        # 100余 / 3000多: more than the number, met only above it.
        MORE = "more", _("余（多）")

    item = models.ForeignKey(Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.QUANTITY)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    comparator = models.CharField(
        _("比较方式"),
        max_length=10,
        choices=Comparator.choices,
        default="",
        blank=True,
        help_text=_("留空表示按目标值完成"),
    )
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"), message=_("权重必须大于 0。"))],
    )
    metric_key = models.CharField(
        _("联动指标"), max_length=80, blank=True, help_text=_("填写后，实际完成数取自其他模块登记的统计口径")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["item", "sort_order", "id"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="milestone") | Q(target__gt=0), name="tenthings_indicator_quantity_target_positive"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="tenthings_indicator_weight_positive"),
        ]

    def __str__(self):
        return f"{self.name}"

    @property
    def is_milestone(self) -> bool:
        return self.kind == self.Kind.MILESTONE

    @property
    def target_label(self) -> str:
        """'不少于 20 场' / '20 场以上' / '约 100 人次（±5%）' / '100余 人' / '2024-12-31 前完成'."""
        from .completion import about_tolerance_percent

        if self.is_milestone:
            return _("%(date)s 前完成") % {"date": f"{self.due_date:%Y-%m-%d}"} if self.due_date else str(_("完成"))
        number = format_number(self.target) if self.target is not None else "—"
        if self.comparator == self.Comparator.OVER:
            return _("%(number)s %(unit)s以上") % {"number": number, "unit": self.unit}
        if self.comparator == self.Comparator.MORE:
            return _("%(number)s余 %(unit)s") % {"number": number, "unit": self.unit}
        if self.comparator == self.Comparator.ABOUT:
            return _("约 %(number)s %(unit)s（±%(tolerance)s%%）") % {
                "number": number,
                "unit": self.unit,
                "tolerance": about_tolerance_percent(),
            }
        prefix = self.get_comparator_display() if self.comparator else ""
        return f"{prefix} {number} {self.unit}".strip()

    @classmethod
    def rule_errors(cls, *, kind, target, unit, metric_key) -> dict:
        """The indicator rules, for the model, the admin and the Excel import: {field: message}."""
        errors = {}
        if kind == cls.Kind.QUANTITY:
            if target is None:
                errors["target"] = _("数量指标必须填写目标值。")
            elif target <= 0:
                errors["target"] = _("目标值必须大于 0。")
            if not unit:
                errors["unit"] = _("数量指标必须填写单位。")
        elif kind == cls.Kind.MILESTONE and target is not None:
            errors["target"] = _("节点指标不填写目标值。")
        if metric_key:
            from apps.core import registry

            if registry.metric_get(metric_key) is None:
                errors["metric_key"] = _("没有名为“%(key)s”的联动指标。") % {"key": metric_key}
        return errors

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = self.rule_errors(kind=self.kind, target=self.target, unit=self.unit, metric_key=self.metric_key)
        if errors:
            raise ValidationError(errors)


class Task(TimeStampedModel):
    """A line of the item's task book (任务书): what, who, by when."""

    item = models.ForeignKey(Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="tasks")
    what = models.CharField(_("任务"), max_length=200)
    who = models.CharField(_("承办人/单位"), max_length=80)
    due_date = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["item", "due_date", "id"]
        verbose_name = _("任务书")
        verbose_name_plural = _("任务书")

    def __str__(self):
        return self.what


class ResponsibilityRecord(TimeStampedModel):
    """The signed responsibility pledge (责任状) of a unit for an item."""

    item = models.ForeignKey(
        Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="responsibility_records"
    )
    unit = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="tenthings_pledges"
    )
    signer = models.CharField(_("签订人"), max_length=40)
    signed_on = models.DateField(_("签订日期"))
    scan = models.FileField(_("扫描件"), upload_to="tenthings/pledges/%Y/", blank=True, validators=[validate_document])

    class Meta:
        ordering = ["item", "signed_on"]
        verbose_name = _("责任状")
        verbose_name_plural = _("责任状")

    def __str__(self):
        return f"{self.unit} · {self.signer}"


class ProgressReportQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=ProgressReport.Status.VERIFIED)


class ProgressReport(DemoMixin, TimeStampedModel):
    """A responsible person's report of progress on one indicator; it counts once verified."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待核实")
        VERIFIED = "verified", _("已核实")
        RETURNED = "returned", _("已退回")
        # A verified figure taken back with a reason: it stops counting, and stays on record.
        WITHDRAWN = "withdrawn", _("已撤回")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("进展日期"))
    amount = models.DecimalField(
        _("本次完成数"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("本次新增的数量（不是累计数，也不是百分比）；更正时可填负数"),
    )
    milestone_done = models.BooleanField(_("节点已完成"), default=False)
    narrative = models.TextField(_("进展情况"))
    # Kept outside the public media folder under a generated name whose extension is the checked
    # type, and sent only through the checked view (as a download): never rendered as a page.
    attachment = models.FileField(
        _("附件"),
        storage=private_storage,
        upload_to=private_upload_to("tenthings/reports"),
        blank=True,
        validators=[validate_document],
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="tenthings_reports",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenthings_reviews",
    )
    reviewed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    review_comment = models.TextField(_("核实意见"), blank=True)
    # Submitted after the closed year's grace date: a 补报, which needs its reason.
    late_reason = models.TextField(_("补报原因"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenthings_withdrawals",
    )
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("进展填报")
        verbose_name_plural = _("进展填报")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(amount=0), name="tenthings_report_amount_nonzero"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(milestone_done=False),
                name="tenthings_report_amount_or_milestone",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "status", "reported_on"], name="tenthings_report_ind_idx")]

    def __str__(self):
        return f"{self.indicator} · {self.reported_on:%Y-%m-%d}"


class ReportPhoto(TimeStampedModel):
    """A photo attached to a progress report (validated and stripped of metadata)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展填报"), on_delete=models.CASCADE, related_name="photos"
    )
    image = ImageField(_("照片"), upload_to="tenthings/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")

    def __str__(self):
        return self.caption or self.image.name


class ItemEvent(TimeStampedModel):
    """History of an item: a target, a status or a verified figure changed, by whom and when."""

    class Kind(models.TextChoices):
        TARGET = "target", _("目标调整")
        STATUS = "status", _("状态变化")
        FIGURE = "figure", _("核实进展")
        # Changes to a year's figure after the year closed: shown on the item page.
        LATE = "late", _("补报核实")
        WITHDRAW = "withdraw", _("撤回核实")

    item = models.ForeignKey(Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="events")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("进展填报"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    old_value = models.CharField(_("原值"), max_length=60, blank=True)
    new_value = models.CharField(_("新值"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenthings_events",
    )
    happened_on = models.DateField(_("日期"))

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("事项记录")
        verbose_name_plural = _("事项记录")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.old_value} → {self.new_value}"


class Rating(TimeStampedModel):
    """A worker's satisfaction with an item (职工满意度): one per person, changeable."""

    item = models.ForeignKey(Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("职工"), on_delete=models.CASCADE, related_name="tenthings_ratings"
    )
    stars = models.PositiveSmallIntegerField(_("满意度"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["item", "-updated_at"]
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="tenthings_rating_once_per_user"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="tenthings_rating_stars_range"),
        ]

    def __str__(self):
        return f"{self.item} · {self.stars}★"


class Follow(TimeStampedModel):
    """A worker follows an item and hears when a verified report lands."""

    item = models.ForeignKey(Item, verbose_name=_("实事项目"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("职工"), on_delete=models.CASCADE, related_name="tenthings_follows"
    )

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="tenthings_follow_once")]

    def __str__(self):
        return f"{self.user} → {self.item}"


class LinkedSnapshot(TimeStampedModel):
    """A verifier's confirmation of a linked indicator's figure on a day (a verified snapshot).

    Linked figures are other apps' counts that nobody verifies one by one; a snapshot is what
    "最近核实" means for them, and a closed year past its grace date shows the last snapshot taken
    by the grace date (a back-dated record elsewhere then shows beside it, never inside it)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="snapshots")
    value = models.DecimalField(_("核实时的数值"), max_digits=14, decimal_places=2)
    taken_on = models.DateField(_("核实日期"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenthings_snapshots",
    )

    class Meta:
        ordering = ["indicator", "-taken_on", "-id"]
        verbose_name = _("联动指标核实")
        verbose_name_plural = _("联动指标核实")

    def __str__(self):
        return f"{self.indicator} · {self.taken_on:%Y-%m-%d} · {format_number(self.value)}"
