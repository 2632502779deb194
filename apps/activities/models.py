"""Activities the union holds (宣讲, 读书, 7点班 courses, 康乃馨, 联谊会, 托管托育 …) and their
sessions. Places, sign-up, waiting list, check-in and attendance are the enrolment engine's
(``apps.enrolment``): an activity owns one roster, each session one occasion of it."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, Organization, Place, TimeStampedModel, Town
from apps.enrolment.models import Occasion, Roster


class Kind(models.TextChoices):
    TALK = "talk", _("劳模工匠“双进”宣讲")
    READING = "reading", _("读书活动")
    TRAINING = "training", _("技能培训·7点班课程")
    CARNATION = "carnation", _("女职工关爱·康乃馨")
    SOCIAL = "social", _("青年交友联谊")
    CHILDCARE = "childcare", _("职工子女托管托育")
    NEW_FORM = "new_form", _("新业态暖心服务")
    THEME = "theme", _("主题活动")


class ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=(Activity.Status.PUBLISHED, Activity.Status.HELD, Activity.Status.CANCELLED))

    def upcoming(self, today):
        return self.filter(status=Activity.Status.PUBLISHED, ends_on__gte=today)


class Activity(Place, DemoMixin, TimeStampedModel):
    """Something the union holds for workers: one or more sessions, with or without sign-up."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("报名/进行中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    class Audience(models.TextChoices):
        EVERYONE = Roster.Audience.EVERYONE.value, _("所有职工")
        WOMEN = Roster.Audience.WOMEN.value, _("女职工")
        NEW_FORM = Roster.Audience.NEW_FORM.value, _("新就业形态劳动者")
        MEMBERS = Roster.Audience.MEMBERS.value, _("工会会员")
        STAFF = Roster.Audience.STAFF.value, _("仅限工会工作人员")

    kind = models.CharField(_("活动类型"), max_length=12, choices=Kind.choices)
    series_number = models.PositiveSmallIntegerField(_("期数"), null=True, blank=True, help_text=_("第几期"))
    title = models.CharField(_("活动名称"), max_length=120)
    organiser = models.ForeignKey(
        Organization, verbose_name=_("主办部门"), on_delete=models.PROTECT, related_name="activities_organised"
    )
    partner = models.CharField(_("协办/承办单位"), max_length=120, blank=True)
    description = models.TextField(_("活动介绍"), blank=True)
    audience = models.CharField(_("活动对象"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    place_name = models.CharField(_("活动地点"), max_length=120, help_text=_("例如：明己书院、恒兴科技园7点班基地"))
    town = models.ForeignKey(
        Town, verbose_name=_("乡镇/街道"), on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    news_url = models.CharField(_("相关新闻链接"), max_length=200, blank=True)
    signup_required = models.BooleanField(
        _("需要报名"), default=True, help_text=_("不需报名的活动由主办方登记到场人数")
    )
    completion_sessions = models.PositiveSmallIntegerField(
        _("结业所需场次"), default=1, help_text=_("课程：参加至少多少场算完成")
    )
    child_min_age = models.PositiveSmallIntegerField(_("儿童最小年龄"), null=True, blank=True)
    child_max_age = models.PositiveSmallIntegerField(_("儿童最大年龄"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # The first and last session's dates, kept by the services (lists sort and filter on them).
    starts_on = models.DateField(_("开始日期"), null=True, blank=True, db_index=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    roster = models.OneToOneField(
        Roster, verbose_name=_("报名名单"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta(Place.Meta):
        ordering = ["starts_on", "pk"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        constraints = [
            *Place.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="activities_cancel_needs_reason"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "starts_on"], name="activities_kind_status_start")]

    def __str__(self):
        return self.full_title

    @property
    def full_title(self) -> str:
        if self.series_number:
            return f"{self.title}（第{self.series_number}期）"
        return self.title

    @property
    def is_childcare(self) -> bool:
        return self.kind == Kind.CHILDCARE

    @property
    def is_social(self) -> bool:
        return self.kind == Kind.SOCIAL

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    def role_holders(self, role):
        """The organisers of this activity: people of its organising department."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(employer_id=self.organiser_id)


class Session(TimeStampedModel):
    """One dated time of an activity (a course has several); its check-ins are the occasion's."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    occasion = models.OneToOneField(Occasion, on_delete=models.PROTECT, related_name="activity_session")
    topic = models.CharField(_("本场内容"), max_length=120, blank=True)
    # Activities without sign-up (a 宣讲 to 80 workers in an enterprise): the organiser's count.
    head_count = models.PositiveIntegerField(_("到场人数（登记）"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "occasion__starts_at", "pk"]
        verbose_name = _("场次")
        verbose_name_plural = _("场次")

    def __str__(self):
        return f"{self.activity} · {self.occasion.starts_at:%Y-%m-%d}"
