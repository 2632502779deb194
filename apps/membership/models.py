"""Membership: applications to join (routed to a union), members, their append-only ledger,
transfers between unions (会籍接转) and employers' requests to set up a union (建会).

Unions are core Organizations of kind 工会; this app reads them from core and never owns them.
No ID number is stored anywhere here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import Occupation
from apps.core.models import DemoMixin, Organization, TimeStampedModel, Town

UNIONS = {"kind": "union"}


class Route(models.TextChoices):
    """Why an application (or a transfer) went to the union it went to."""

    EMPLOYER = "employer", _("所在单位工会")
    INDUSTRY = "industry", _("行业工会")
    TOWN = "town", _("乡镇/街道工会")
    CITY = "city", _("市总工会")
    REFERRED = "referred", _("转办")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Application.OPEN_STATES)

    def for_unions(self, union_ids):
        return self.filter(union_id__in=union_ids)

    def overdue_first(self):
        return self.order_by("due_on", "submitted_at", "pk")


class Application(TimeStampedModel, DemoMixin):
    """一份入会申请: routed by itself to a union, decided by that union's staff."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        REFERRED = "referred", _("已转办，待审核")
        ACCEPTED = "accepted", _("已入会")
        RETURNED = "returned", _("已退回")

    OPEN_STATES = ("submitted", "referred")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="membership_applications",
    )
    real_name = models.CharField(_("真实姓名"), max_length=30)
    employer = models.ForeignKey(
        Organization,
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    employer_name = models.CharField(_("工作单位（未列出时填写）"), max_length=120, blank=True)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices)
    town = models.ForeignKey(Town, verbose_name=_("工作所在乡镇/街道"), on_delete=models.PROTECT, related_name="+")
    consent_at = models.DateTimeField(_("同意告知时间"))
    union = models.ForeignKey(
        Organization,
        verbose_name=_("受理工会"),
        on_delete=models.PROTECT,
        related_name="membership_applications",
        limit_choices_to=UNIONS,
    )
    route = models.CharField(_("分派依据"), max_length=10, choices=Route.choices)
    route_reason = models.CharField(_("分派说明"), max_length=300)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    due_on = models.DateField(_("办理期限"))
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    member = models.ForeignKey(
        "Member", verbose_name=_("会员"), on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        constraints = [
            # One open application per person: a second one while the first waits is refused here too.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=["submitted", "referred"]),
                name="membership_one_open_application",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(employer_name=""), name="membership_application_employer"
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="membership_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(member__isnull=False), name="membership_accepted_has_member"
            ),
        ]
        indexes = [models.Index(fields=["union", "state", "due_on"], name="membership_app_queue")]
        permissions = [("decide_application", _("办理入会申请与会籍接转"))]

    def __str__(self):
        return f"{self.real_name} → {self.union}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(state=Member.State.LEFT)


class Member(TimeStampedModel, DemoMixin):
    """A union member: one row per person, whose number stays through transfers and rejoining."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("membership state", "正常")
        TRANSFERRED = "transferred", _("接转中")
        LEFT = "left", _("已退会")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员账户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="union_member",
        help_text=_("从花名册导入、尚未在门户注册的会员没有账户，本人以同一手机号入会时关联。"),
    )
    real_name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, db_index=True)
    union = models.ForeignKey(
        Organization,
        verbose_name=_("所在工会"),
        on_delete=models.PROTECT,
        related_name="members_roll",
        limit_choices_to=UNIONS,
    )
    number = models.CharField(_("会员编号"), max_length=20, unique=True)
    since = models.DateField(_("入会日期"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.ACTIVE)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices, blank=True)
    town = models.ForeignKey(
        Town, verbose_name=_("所在乡镇/街道"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        Organization, verbose_name=_("工作单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employer_name = models.CharField(_("工作单位（未列出）"), max_length=120, blank=True)
    left_on = models.DateField(_("退会日期"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["union__name", "number"]
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        indexes = [models.Index(fields=["union", "state"], name="membership_member_union")]
        permissions = [("import_roll", _("导入工会组织与会员花名册"))]

    def __str__(self):
        return f"{self.number} {self.real_name}"

    @property
    def is_current(self) -> bool:
        return self.state != self.State.LEFT

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("会籍台账只能追加，不能修改。"))

    def delete(self):
        raise ValidationError(_("会籍台账只能追加，不能删除。"))


class LedgerEntry(DemoMixin, models.Model):
    """Append-only: every change of a membership (joined, transferred A → B, left, rejoined)."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("入会")
        TRANSFERRED = "transferred", _("会籍接转")
        LEFT = "left", _("退会")
        REJOINED = "rejoined", _("重新入会")
        IMPORTED = "imported", _("花名册导入")

    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    from_union = models.ForeignKey(
        Organization, verbose_name=_("原工会"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_union = models.ForeignKey(
        Organization, verbose_name=_("工会"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The decision that made the row: one accepted application (or transfer) makes one row, however
    # many staff press the button at once.
    application = models.OneToOneField(
        Application, verbose_name=_("入会申请"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer = models.OneToOneField(
        "Transfer", verbose_name=_("接转申请"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("会籍台账")
        verbose_name_plural = _("会籍台账")

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("会籍台账只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("会籍台账只能追加，不能删除。"))


class MemberNumberCounter(models.Model):
    """The last member number issued in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("会员编号计数")
        verbose_name_plural = _("会员编号计数")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Transfer(TimeStampedModel, DemoMixin):
    """会籍接转: a member moving to another employer; the new union accepts, the number stays."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待接收")
        ACCEPTED = "accepted", _("已接转")
        DECLINED = "declined", _("未接收")

    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="transfers")
    from_union = models.ForeignKey(
        Organization, verbose_name=_("原工会"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_union = models.ForeignKey(
        Organization, verbose_name=_("接收工会"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    new_employer = models.ForeignKey(
        Organization, verbose_name=_("新工作单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_employer_name = models.CharField(_("新工作单位（未列出时填写）"), max_length=120, blank=True)
    town = models.ForeignKey(Town, verbose_name=_("新单位所在乡镇/街道"), on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("分派依据"), max_length=10, choices=Route.choices)
    route_reason = models.CharField(_("分派说明"), max_length=300)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    due_on = models.DateField(_("办理期限"))
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.CharField(_("未接收原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("会籍接转")
        verbose_name_plural = _("会籍接转")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state="requested"), name="membership_one_open_transfer"
            ),
            models.CheckConstraint(condition=~Q(from_union=F("to_union")), name="membership_transfer_moves"),
        ]

    def __str__(self):
        return f"{self.member}: {self.from_union} → {self.to_union}"

    @property
    def new_employer_label(self) -> str:
        return self.new_employer.name if self.new_employer_id else self.new_employer_name


class UnionSetupRequest(TimeStampedModel, DemoMixin):
    """建会申请: an employer without a union asks its town union for help to set one up."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        GUIDING = "guiding", _("指导筹建中")
        ESTABLISHED = "established", _("已建会")
        CLOSED = "closed", _("已关闭")

    OPEN_STATES = ("submitted", "guiding")

    employer_name = models.CharField(_("单位名称"), max_length=120)
    size = models.PositiveIntegerField(_("职工人数"))
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    town = models.ForeignKey(Town, verbose_name=_("所在乡镇/街道"), on_delete=models.PROTECT, related_name="+")
    town_union = models.ForeignKey(
        Organization, verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="setup_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    due_on = models.DateField(_("受理期限"))
    note = models.CharField(_("办理说明"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("建会申请")
        verbose_name_plural = _("建会申请")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="membership_setup_size"),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "guiding"]) | ~Q(note=""), name="membership_setup_closed_note"
            ),
        ]

    def __str__(self):
        return self.employer_name

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES
