"""Worker stations (职工驿站): where they are, what they offer, how they are kept and used."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, Place, TimeStampedModel, Town
from apps.core.paths import object_path
from apps.core.uploads import ImageField

INSPECTION_INTERVAL_DAYS = 30
# A due date further out would silence the overdue reminders for that station.
INSPECTION_MAX_INTERVAL_DAYS = 180


def inspection_window_errors(inspected_on, next_due) -> dict:
    """The inspection-date rule, for the model and every form: {field: message} when broken."""
    if not inspected_on or not next_due:
        return {}
    if next_due <= inspected_on:
        return {"next_due": _("下次巡检日期必须晚于本次巡检日期。")}
    if (next_due - inspected_on).days > INSPECTION_MAX_INTERVAL_DAYS:
        return {"next_due": _("下次巡检日期不能晚于本次巡检后 %(days)s 天。") % {"days": INSPECTION_MAX_INTERVAL_DAYS}}
    return {}


def station_display_name(name: str, brand: str) -> str:
    """The name with its brand in front, unless the name already says it."""
    return f"“{brand}”{name}" if brand and brand not in name else name


WEEKDAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


class Amenity(TimeStampedModel):
    """Something a station offers (热饭, 饮水 …); staff can add more in the admin."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    equipment = models.CharField(
        _("对应设备"), max_length=40, blank=True, help_text=_("巡检时检查的设备，例如“微波炉”。")
    )
    icon = models.CharField(
        _("图标"),
        max_length=8,
        blank=True,
        help_text=_("一个汉字（如“饭”），显示在圆形图标里。内网电脑常无表情符号字体，请勿使用表情符号。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("服务设施")
        verbose_name_plural = _("服务设施")

    def __str__(self):
        return self.name

    @property
    def checklist_label(self) -> str:
        return f"{self.name} · {self.equipment}" if self.equipment else self.name


class StationQuerySet(models.QuerySet):
    def public(self):
        """Stations a worker may look up: everything but those still being planned."""
        return self.exclude(status=Station.Status.PLANNED)

    def kept_by(self, user):
        """The stations this person keeps (every station for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(keepers=user)


class Station(DemoMixin, TimeStampedModel, Place):
    """A worker station: a 24-hour outdoor workers' rest stop, a reading room, a training base …"""

    class Kind(models.TextChoices):
        OUTDOOR_24H = "outdoor_24h", _("24小时户外劳动者驿站")
        READING_ROOM = "reading_room", _("职工书屋")
        TRAINING_BASE = "training_base", _("培训基地")
        SERVICE_CENTER = "service_center", _("职工服务中心")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹建中")
        OPEN = "open", _("开放")
        SUSPENDED = "suspended", _("暂停开放")
        CLOSED = "closed", _("已关闭")

    code = models.SlugField(_("编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OUTDOOR_24H)
    brand = models.CharField(_("品牌"), max_length=40, blank=True, help_text=_("例如“兴惠有你”。"))
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("运营单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
    )
    town = models.ForeignKey(Town, verbose_name=_("所在乡镇/街道"), on_delete=models.PROTECT, related_name="stations")
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    honours = models.CharField(
        _("荣誉"), max_length=200, blank=True, help_text=_("获得的称号，多个用“、”分隔，例如“省级职工书屋”。")
    )
    is_24h = models.BooleanField(_("24小时开放"), default=False)
    amenities = models.ManyToManyField(Amenity, verbose_name=_("服务设施"), blank=True, related_name="stations")
    keepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("驿站管理员"),
        blank=True,
        related_name="kept_stations",
        help_text=_("驿站管理员只能看到和巡检自己负责的驿站。"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    # A station is never deleted (its check-ins and inspections are figures of record): it closes,
    # on a date, and counts as open in every year before that date.
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True, help_text=_("状态为“已关闭”时必填。"))
    verified_at = models.DateTimeField(_("信息核实时间"), null=True, blank=True)

    objects = StationQuerySet.as_manager()

    class Meta(Place.Meta):
        ordering = ["town__sort_order", "name"]
        verbose_name = _("驿站")
        verbose_name_plural = _("驿站")
        constraints = [
            *Place.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(status__in=["planned", "open", "suspended", "closed"]),
                name="stations_station_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["suspended", "closed"]) | ~models.Q(status_reason=""),
                name="stations_station_reason_when_not_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="stations_station_closed_on_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["latitude", "longitude"])]

    def role_holders(self, role: str):
        """People this station names for a role (accounts.roles.users_holding(role, obj=station))."""
        if role == "station_keeper":
            return self.keepers.all()
        return self.keepers.none()

    def __str__(self):
        return self.name

    @classmethod
    def status_reason_error(cls, status: str, reason: str):
        """The one rule: a station that is not open to the public (suspended or closed) says why."""
        if status in (cls.Status.SUSPENDED, cls.Status.CLOSED) and not (reason or "").strip():
            return _("暂停或关闭驿站时请填写原因。")
        return None

    @classmethod
    def closed_on_error(cls, status: str, closed_on):
        """A closed station says since when (its figures count it as open before that day)."""
        if status == cls.Status.CLOSED and closed_on is None:
            return _("关闭驿站时请填写关闭日期。")
        return None

    def clean(self):
        super().clean()
        if message := self.status_reason_error(self.status, self.status_reason):
            raise ValidationError({"status_reason": message})
        if message := self.closed_on_error(self.status, self.closed_on):
            raise ValidationError({"closed_on": message})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("经度和纬度需同时填写。"))

    def get_absolute_url(self):
        return object_path("stations:detail", self.pk)

    @property
    def display_name(self) -> str:
        return station_display_name(self.name, self.brand)

    def is_open_at(self, moment: datetime.datetime, hours=None) -> bool:
        """Whether the station is open at that moment (hours from the prefetch when given)."""
        if self.status != self.Status.OPEN:
            return False
        if self.is_24h:
            return True
        local = timezone.localtime(moment)
        hours = self.hours.all() if hours is None else hours
        return any(h.weekday == local.weekday() and h.opens <= local.time() < h.closes for h in hours)

    @property
    def open_now(self) -> bool:
        return self.is_open_at(timezone.now())


class OpeningHours(TimeStampedModel):
    """One weekday's opening time of a station that is not open around the clock."""

    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAY_CHOICES)
    opens = models.TimeField(_("开门时间"))
    closes = models.TimeField(_("关门时间"))

    class Meta:
        ordering = ["station", "weekday"]
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        constraints = [
            models.UniqueConstraint(fields=["station", "weekday"], name="stations_hours_one_per_weekday"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="stations_hours_weekday_range"),
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="stations_hours_order"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError(_("关门时间必须晚于开门时间。"))


class StationPhoto(TimeStampedModel):
    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="photos")
    image = ImageField(_("照片"), upload_to="stations/photos/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["station", "sort_order", "id"]
        verbose_name = _("驿站照片")
        verbose_name_plural = _("驿站照片")

    def __str__(self):
        return self.caption or f"{self.station} #{self.pk}"


class RatingQuerySet(models.QuerySet):
    def approved_comments(self):
        return self.filter(moderation=Rating.Moderation.APPROVED).exclude(comment="")


class Rating(DemoMixin, TimeStampedModel):
    """A worker's score (1–5) for a station, one per person; the comment shows after moderation."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.CASCADE, related_name="station_ratings"
    )
    score = models.PositiveSmallIntegerField(
        _("评分"),
        validators=[
            MinValueValidator(1, message=_("评分必须在 1 到 5 之间。")),
            MaxValueValidator(5, message=_("评分必须在 1 到 5 之间。")),
        ],
    )
    comment = models.TextField(_("留言"), max_length=500, blank=True)
    moderation = models.CharField(_("审核"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["station", "user"], name="stations_rating_one_per_person"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="stations_rating_score_range"),
        ]

    def __str__(self):
        return f"{self.station} · {self.score}★ · {self.user}"


class Report(TimeStampedModel):
    """A worker's report that a station is closed or its equipment is broken; goes to the keepers."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("驿站未开门")
        BROKEN = "broken", _("设备损坏")

    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反映人"), on_delete=models.CASCADE, related_name="station_reports"
    )
    kind = models.CharField(_("问题类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("情况说明"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("问题反映")
        verbose_name_plural = _("问题反映")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["closed", "broken"]), name="stations_report_kind_valid")
        ]

    def __str__(self):
        return f"{self.station} · {self.get_kind_display()}"


class Visit(DemoMixin, TimeStampedModel):
    """A check-in at a station (door QR): at most one per person per station per hour."""

    class Occupation(models.TextChoices):
        SANITATION = "sanitation", _("环卫")
        COURIER = "courier", _("快递")
        DELIVERY = "delivery", _("外卖")
        TRUCK = "truck", _("货车司机")
        OTHER = "other", _("其他")

    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.PROTECT, related_name="visits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="station_visits",
    )
    # "u<id>" for a signed-in person, "a<cookie id>" for an anonymous one: the identity the
    # once-an-hour rule is about.
    visitor = models.CharField(_("访客标识"), max_length=40)
    occupation = models.CharField(_("职业"), max_length=12, choices=Occupation.choices)
    hour = models.DateTimeField(_("签到时段"), help_text=_("签到时间取整到小时。"))
    day = models.DateField(_("日期"), db_index=True)

    class Meta:
        ordering = ["-hour"]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [
            models.UniqueConstraint(fields=["station", "visitor", "hour"], name="stations_visit_once_per_hour"),
        ]
        indexes = [models.Index(fields=["station", "day"])]

    def __str__(self):
        return f"{self.station} · {self.get_occupation_display()} · {self.hour:%Y-%m-%d %H}"


class Inspection(DemoMixin, TimeStampedModel):
    """A keeper's equipment check of a station, with a checklist item per amenity."""

    station = models.ForeignKey(Station, verbose_name=_("驿站"), on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡检人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="station_inspections",
    )
    inspected_on = models.DateField(_("巡检日期"), default=timezone.localdate)
    notes = models.TextField(_("巡检记录"), blank=True)
    photo = ImageField(_("现场照片"), upload_to="stations/inspections/%Y/%m/", blank=True)
    next_due = models.DateField(_("下次巡检日期"))

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("巡检")
        verbose_name_plural = _("巡检")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_due__gt=models.F("inspected_on")), name="stations_inspection_due_after"
            )
        ]

    def __str__(self):
        return f"{self.station} · {self.inspected_on:%Y-%m-%d}"

    def clean(self):
        errors = inspection_window_errors(self.inspected_on, self.next_due)
        if errors:
            raise ValidationError(errors)


class InspectionItem(TimeStampedModel):
    class State(models.TextChoices):
        OK = "ok", _("正常")
        BROKEN = "broken", _("损坏")
        MISSING = "missing", _("缺失")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡检"), on_delete=models.CASCADE, related_name="items")
    amenity = models.ForeignKey(
        Amenity, verbose_name=_("服务设施"), on_delete=models.PROTECT, related_name="inspection_items"
    )
    state = models.CharField(_("状况"), max_length=10, choices=State.choices, default=State.OK)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["inspection", "amenity__sort_order"]
        verbose_name = _("巡检项目")
        verbose_name_plural = _("巡检项目")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "amenity"], name="stations_item_one_per_amenity"),
            models.CheckConstraint(
                condition=models.Q(state__in=["ok", "broken", "missing"]), name="stations_item_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.amenity} · {self.get_state_display()}"
