"""The append-only audit log of private records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cases import DisputeCase
from .consultations import Consultation


class AuditLog(models.Model):
    """Append-only: who viewed or changed which consultation or case, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        CREATE = "create", _("创建")
        CHANGE = "change", _("修改")
        DOWNLOAD = "download", pgettext_lazy("audit action", "下载附件")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("audit actor", "操作人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        DisputeCase, verbose_name=_("案件"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("内容"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("访问与操作日志")
        verbose_name_plural = _("访问与操作日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("日志只能追加，不能删除。"))
