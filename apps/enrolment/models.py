"""The enrolment engine: places that the union gives out, and who holds them.

A :class:`Roster` belongs to one thing that has places (an activity, a legal event, a benefit
batch …) through a generic owner (content type + id), so a foundation app never imports the
product app that owns it. An :class:`Enrolment` is one person's (or their child's) claim on a
place; :class:`Occasion` is a dated time of the roster (a session of a course) where people
check in, recorded as :class:`Attendance`. Every invariant that two requests could break at
once is a database constraint (one live enrolment per person and dependant per roster, one
check-in per enrolment and occasion, one satisfaction answer per enrolment); the counts that
decide who gets a place are changed only under a row lock on the roster (``services``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class Roster(TimeStampedModel):
    """The places of one thing, and the rules for giving them out."""

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("先到先得")
        DRAW = "draw", _("报名截止后抽签")

    class Audience(models.TextChoices):
        # Keys of rules in ``apps.enrolment.rules``; each reads the person's facts.
        EVERYONE = "everyone", _("所有登录职工")
        WOMEN = "women", _("女职工")
        NEW_FORM = "new_form", _("新就业形态劳动者")
        MEMBERS = "members", _("工会会员")
        STAFF = "staff", _("仅限工会工作人员")
        INVITATION = "invitation", _("仅限邀请或推荐")

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    # Copied from the owner when the roster is made, so reminders name it without importing it.
    title = models.CharField(_("名称"), max_length=200)
    url = models.CharField(_("页面地址"), max_length=200, blank=True)

    places = models.PositiveIntegerField(_("名额"), default=0, help_text=_("0 表示不限名额"))
    opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("报名截止"), null=True, blank=True)
    allocation = models.CharField(
        _("分配方式"), max_length=12, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    audience = models.CharField(_("报名对象"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    waiting_list = models.BooleanField(_("名额满后可候补"), default=True)
    hold_hours = models.PositiveSmallIntegerField(_("候补名额保留（小时）"), default=24)
    places_per_person = models.PositiveSmallIntegerField(_("每人可报名额"), default=1)
    dependants_allowed = models.BooleanField(_("为子女报名"), default=False)
    dependant_min_age = models.PositiveSmallIntegerField(_("子女最小年龄"), null=True, blank=True)
    dependant_max_age = models.PositiveSmallIntegerField(_("子女最大年龄"), null=True, blank=True)
    walk_ins_allowed = models.BooleanField(_("允许现场签到（未报名）"), default=False)
    is_open = models.BooleanField(_("接受报名"), default=True, help_text=_("活动取消或未发布时关闭"))

    # Kept under the roster's row lock by every service that changes an enrolment's state, so a
    # list of a thousand activities shows places left without counting a thousand rosters.
    taken = models.PositiveIntegerField(_("已占名额"), default=0)
    waiting = models.PositiveIntegerField(_("候补人数"), default=0)
    applied = models.PositiveIntegerField(_("待抽签人数"), default=0)

    draw_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    # The waiting list has been told places go first come at the door (offers stop near the start).
    door_notice_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("报名名单")
        verbose_name_plural = _("报名名单")
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="enrolment_roster_one_per_owner"),
            models.CheckConstraint(
                condition=Q(places=0) | Q(taken__lte=models.F("places")), name="enrolment_roster_taken_within_places"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def unlimited(self) -> bool:
        return self.places == 0

    @property
    def places_left(self) -> int | None:
        """Free places now (None: no limit)."""
        return None if self.unlimited else max(0, self.places - self.taken)


class PriorityGroup(models.Model):
    """A named rule on a person's facts that ranks applicants of a draw (groups drawn in order)."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="priority_groups")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("名称"), max_length=60)
    rule = models.CharField(_("规则"), max_length=40)
    share = models.DecimalField(
        _("名额比例"), max_digits=4, decimal_places=3, null=True, blank=True, help_text=_("例如 0.5：最多一半名额")
    )

    class Meta:
        ordering = ["roster", "order", "pk"]
        verbose_name = _("优先组")
        verbose_name_plural = _("优先组")

    def __str__(self):
        return self.name


class NominationQuota(models.Model):
    """How many places of a roster one nominating (grassroots) union may fill."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="nomination_quotas")
    union = models.ForeignKey(Organization, verbose_name=_("推荐单位"), on_delete=models.CASCADE, related_name="+")
    places = models.PositiveIntegerField(_("推荐名额"))

    class Meta:
        ordering = ["roster", "union"]
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [models.UniqueConstraint(fields=["roster", "union"], name="enrolment_one_quota_per_union")]

    def __str__(self):
        return f"{self.union} · {self.places}"


class Occasion(TimeStampedModel):
    """One dated time of a roster where people check in (a session of a course)."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="occasions")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    where = models.CharField(_("地点"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("场次")
        verbose_name_plural = _("场次")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="enrolment_occasion_ends_after"
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="enrolment_occasion_start")]

    def __str__(self):
        return f"{self.roster} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(TimeStampedModel):
    """One person's (or their child's) claim on a place of a roster."""

    class State(models.TextChoices):
        APPLIED = "applied", _("已报名待抽签")
        OFFERED = "offered", _("待确认")
        CONFIRMED = "confirmed", _("报名成功")
        ATTENDED = "attended", _("已参加")
        NO_SHOW = "no_show", _("未到场")
        WAITING = "waiting", _("候补中")
        DECLINED = "declined", _("已放弃")
        EXPIRED = "expired", _("逾期未确认")
        CANCELLED = "cancelled", _("已取消")

    class Channel(models.TextChoices):
        SELF = "self", _("本人报名")
        NOMINATED = "nominated", _("基层工会推荐")
        STAFF = "staff", _("工作人员录入")
        DOOR = "door", _("现场签到")

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    # A child enrolled by a parent: never shown on a public page or in a leaders' export.
    dependant_name = models.CharField(_("子女姓名"), max_length=30, blank=True)
    dependant_age = models.PositiveSmallIntegerField(_("子女年龄"), null=True, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=11, blank=True)
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    channel = models.CharField(_("报名方式"), max_length=10, choices=Channel.choices, default=Channel.SELF)
    nominated_by = models.ForeignKey(
        Organization, verbose_name=_("推荐单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_group = models.ForeignKey(
        PriorityGroup, verbose_name=_("优先组"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    draw_number = models.PositiveIntegerField(_("抽签序号"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, db_index=True)
    walk_in = models.BooleanField(_("现场加入"), default=False)
    queued_at = models.DateTimeField(_("候补登记时间"), null=True, blank=True)
    offered_at = models.DateTimeField(_("提供名额时间"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("确认截止"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    LIVE = (
        State.APPLIED,
        State.OFFERED,
        State.CONFIRMED,
        State.ATTENDED,
        State.NO_SHOW,
        State.WAITING,
    )
    # States that hold one of the roster's places.
    HOLDING = (State.OFFERED, State.CONFIRMED, State.ATTENDED, State.NO_SHOW)

    class Meta:
        ordering = ["roster", "pk"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            # A double tap, two tabs or two servers: one live enrolment per person and child.
            models.UniqueConstraint(
                fields=["roster", "person", "dependant_name"],
                condition=Q(state__in=["applied", "offered", "confirmed", "attended", "no_show", "waiting"]),
                name="enrolment_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(dependant_name="") | Q(guardian_consent_at__isnull=False),
                name="enrolment_child_needs_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["roster", "state", "queued_at"], name="enrolment_roster_state"),
            models.Index(fields=["state", "offer_expires_at"], name="enrolment_offer_expiry"),
        ]

    def __str__(self):
        who = self.dependant_name or self.person
        return f"{who} · {self.roster}"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE

    @property
    def holds_place(self) -> bool:
        return self.state in self.HOLDING


class Attendance(TimeStampedModel):
    """A check-in at one occasion (a walk-in has an enrolment made at the door)."""

    class Method(models.TextChoices):
        DOOR_QR = "door_qr", _("扫场地二维码")
        PERSONAL_QR = "personal_qr", _("工作人员扫个人码")
        PHONE = "phone", _("工作人员按手机号")

    occasion = models.ForeignKey(Occasion, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(_("签到方式"), max_length=12, choices=Method.choices)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occasion", "created_at"]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [
            models.UniqueConstraint(fields=["occasion", "enrolment"], name="enrolment_one_checkin_per_occasion")
        ]

    def __str__(self):
        return f"{self.enrolment} @ {self.occasion}"


class Satisfaction(TimeStampedModel):
    """One answer per enrolment to "how satisfied were you?" (1–5 and an optional line)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="satisfaction")
    score = models.PositiveSmallIntegerField(_("满意度"))
    comment = models.CharField(_("意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="enrolment_satisfaction_score_range")
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.score}"
