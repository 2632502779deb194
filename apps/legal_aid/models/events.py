"""Legal events: publicity, case law, court classes, and their invitees (registration, the waiting
list and check-in are the enrolment engine's: ``services.events``)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, TimeStampedModel
from apps.core.paths import object_path
from apps.core.private_files import private_upload_to
from apps.core.uploads import validate_document

from .stations import LegalStation


class LegalEventQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=LegalEvent.Status.DRAFT)


class LegalEvent(TimeStampedModel, DemoMixin):
    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("法治宣传")
        CASE_LAW = "case_law", _("以案普法")
        COURT_CLASS = "court_class", _("实景课堂庭审观摩")
        ENTERPRISE = "enterprise", _("送法进企业")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("报名中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(pgettext_lazy("kind of station or event", "类型"), max_length=12, choices=Kind.choices)
    series_number = models.PositiveSmallIntegerField(_("期数"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=150)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=150)
    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    partner = models.CharField(_("合作单位"), max_length=100, blank=True)
    case_type = models.CharField(_("案件类型"), max_length=100, blank=True)
    judge = models.CharField(_("审判员"), max_length=40, blank=True)
    capacity = models.PositiveIntegerField(_("公开报名名额"), default=0)
    description = models.TextField(_("介绍"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    head_count = models.PositiveIntegerField(_("到场人数"), null=True, blank=True)
    news_url = models.CharField(_("新闻报道链接"), max_length=300, blank=True)
    # Public (linked from the event page), so only documents checked by content — PDF, Word,
    # Excel, never HTML, SVG or a program — under a generated name (legal/handouts/<yyyy>/<uuid>.pdf).
    handout = models.FileField(
        _("宣传资料"),
        upload_to=private_upload_to("legal/handouts"),
        blank=True,
        validators=[validate_document],
        help_text=_("PDF、Word 或 Excel 文件"),
    )

    objects = LegalEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("法治活动")
        verbose_name_plural = _("法治活动")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "series_number"],
                condition=Q(series_number__isnull=False),
                name="legal_aid_event_series_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return object_path("legal_aid:event", self.pk)

    @property
    def display_title(self) -> str:
        if self.series_number:
            return _("第%(n)s期 %(title)s") % {"n": self.series_number, "title": self.title}
        return self.title

    @property
    def upcoming(self) -> bool:
        return self.status == self.Status.OPEN and self.starts_at > timezone.now()


class EventInvitee(TimeStampedModel):
    class Category(models.TextChoices):
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")
        ENTERPRISE = "enterprise", _("企业代表")
        CADRE = "cadre", _("工会干部")
        OTHER = "other", _("其他")

    event = models.ForeignKey(LegalEvent, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("姓名"), max_length=40)
    category = models.CharField(_("身份"), max_length=12, choices=Category.choices)
    organization = models.CharField(pgettext_lazy("invitee organisation", "单位"), max_length=100, blank=True)
    attended = models.BooleanField(_("已到场"), default=False)

    class Meta:
        ordering = ["event", "category", "name"]
        verbose_name = _("特邀嘉宾")
        verbose_name_plural = _("特邀嘉宾")

    def __str__(self):
        return self.name
