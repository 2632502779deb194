"""劳模工匠库, the innovation studios and the 劳模创新工作联盟."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, Organization, TimeStampedModel

User = settings.AUTH_USER_MODEL


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
        CITY = "city", pgettext_lazy("studio level", "市级")
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


class AllianceMembership(TimeStampedModel, DemoMixin):
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
