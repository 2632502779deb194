from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every model of the portal: when a row was made and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class DemoMixin(models.Model):
    """Marks invented records made by ``load_demo``; pages label them “演示” so nobody takes them
    for the union's record."""

    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("演示用的虚构记录。"))

    class Meta:
        abstract = True


class Town(TimeStampedModel):
    """A town (镇) or street (街道) of the city: the unit of grassroots union work."""

    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        ZONE = "zone", _("园区")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TOWN)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("乡镇/街道")
        verbose_name_plural = _("乡镇/街道")

    def __str__(self):
        return self.name


class Organization(TimeStampedModel, DemoMixin):
    """A unit: an employer, a union department, a government office or a partner.

    Unions (kind 工会) form the hierarchy every app shares: a grassroots union's ``parent`` is
    its town or industry union, theirs the 市总工会; an employer names the union that covers
    it (``covered_by``); an industry union names the occupation it organises (``industry``);
    its staff are a per-object role (``UnionStaff``, ``role_holders("union_staff")``).
    """

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("企业/用人单位")
        UNION = "union", _("工会及部门")
        GOVERNMENT = "government", _("政府部门")
        SOCIAL = "social", _("社会组织")

    class UnionLevel(models.TextChoices):
        CITY = "city", _("市总工会")
        TOWN = "town", _("乡镇/街道工会")
        INDUSTRY = "industry", _("行业工会")
        GRASSROOTS = "grassroots", _("基层工会")
        DEPARTMENT = "department", _("工会部门")

    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.EMPLOYER)
    town = models.ForeignKey(
        Town,
        verbose_name=_("所在乡镇"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
    )
    union_level = models.CharField(
        _("工会层级"), max_length=12, choices=UnionLevel.choices, blank=True, help_text=_("仅工会填写。")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": "union"},
    )
    covered_by = models.ForeignKey(
        "self",
        verbose_name=_("所属工会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_employers",
        limit_choices_to={"kind": "union"},
        help_text=_("已建工会（或加入联合工会）的单位填写覆盖它的工会；职工入会申请据此分派。"),
    )
    # An occupation key of accounts.Occupation ("courier" …); core keeps the key only, so the
    # foundation does not depend on the accounts app's choices.
    industry = models.CharField(
        _("行业（职业）"), max_length=20, blank=True, help_text=_("行业工会组织的职业，例如快递员。")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [models.Index(fields=["kind", "union_level"], name="core_org_union_level")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(union_level="") | models.Q(kind="union"), name="core_org_level_only_for_unions"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_union(self) -> bool:
        return self.kind == self.Kind.UNION

    def clean(self):
        super().clean()
        if self.union_level and self.kind != self.Kind.UNION:
            raise ValidationError({"union_level": _("只有工会才有工会层级。")})
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级工会不能是它自己。")})
        if self.covered_by_id is not None and self.covered_by_id == self.pk:
            raise ValidationError({"covered_by": _("所属工会不能是它自己。")})

    def role_holders(self, role: str):
        """People this union names for a role (``users_holding("union_staff", obj=union)``)."""
        from django.contrib.auth import get_user_model

        User = get_user_model()
        if role == "union_staff":
            return User.objects.filter(union_staff_posts__union=self)
        return User.objects.none()


class UnionStaff(TimeStampedModel, DemoMixin):
    """A person who works for one union (per-object role ``union_staff``): they decide that
    union's applications and transfers and see its members only."""

    union = models.ForeignKey(
        Organization,
        verbose_name=_("工会"),
        on_delete=models.CASCADE,
        related_name="staff_posts",
        limit_choices_to={"kind": "union"},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="union_staff_posts"
    )

    class Meta:
        ordering = ["union__name", "pk"]
        verbose_name = _("工会工作人员")
        verbose_name_plural = _("工会工作人员")
        constraints = [models.UniqueConstraint(fields=["union", "user"], name="core_unionstaff_once")]

    def __str__(self):
        return f"{self.union} · {self.user}"


LATITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-90"), message=_("纬度必须在 -90 到 90 之间。")),
    MaxValueValidator(Decimal("90"), message=_("纬度必须在 -90 到 90 之间。")),
]
LONGITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-180"), message=_("经度必须在 -180 到 180 之间。")),
    MaxValueValidator(Decimal("180"), message=_("经度必须在 -180 到 180 之间。")),
]


class Place(models.Model):
    """Address plus a WGS-84 point. Abstract: stations, legal stations etc. extend it."""

    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )
    longitude = models.DecimalField(
        _("经度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )

    class Meta:
        # Subclasses that declare their own Meta should extend Place.Meta to keep these checks.
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
        ]

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a statutory holiday on a weekday, or a
    weekend day that is worked (调休 make-up day). Staff enter each year's days from the State
    Council's notice; every "within N working days" in the portal reads them
    (``apps.core.workdays``)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休）")
        WORKDAY = "workday", _("调休上班")

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("例如：春节、国庆节"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Every entry about one record, newest first."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def update(self, **kwargs):
        raise ValidationError(_("日志只能追加，不能修改。"))

    def delete(self):
        raise ValidationError(_("日志只能追加，不能删除。"))


class AuditEntry(models.Model):
    """Append-only: who did what to which record, and when — one log for every app.

    The record is named by a generic reference (content type and id, and its name at the time),
    never by a foreign key to a product model, so product apps keep their own tables and the log
    outlives a deleted record. Rows can be neither changed nor deleted (refused here, in the
    queryset and in the admin). Write through ``apps.core.audit.audit_record``.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        CREATE = "create", _("创建")
        CHANGE = "change", _("修改")
        DOWNLOAD = "download", _("下载附件")
        DECIDE = "decide", _("决定")
        DELETE = "delete", _("删除")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(_("记录编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("记录"), max_length=200, blank=True)
    detail = models.CharField(_("内容"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="core_audit_object")]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("日志只能追加，不能删除。"))


class SubmissionToken(models.Model):
    """A form's one-time token, claimed by the request that created the record (the one
    double-submit guard, ``apps.core.submissions``): unique, so a double tap creates once."""

    token = models.CharField(_("表单令牌"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.result_url}"
