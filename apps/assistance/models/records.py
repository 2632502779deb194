"""What a help request gathers: papers, the home visit, its timeline, help given, objections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import DemoMixin, TimeStampedModel
from apps.core.private_files import private_storage, private_upload_to

from .requests import HelpRequest


class Document(TimeStampedModel):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("身份与户籍证明")
        INCOME = "income", _("收入证明")
        MEDICAL = "medical", _("病历与诊断证明")
        SCHOOL = "school", _("入学证明")
        APPLICATION = "application", _("签字的申请书")
        AUTHORISATION = "authorisation", _("签字的核对授权书")
        OTHER = "other", _("其他材料")

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("帮扶申请"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("材料类型"), max_length=14, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=private_upload_to("assistance"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class HomeVisit(TimeStampedModel, DemoMixin):
    """入户调查: two visitors, a checklist, notes; the signed papers are Documents of the request."""

    CHECKLIST = (
        ("housing", _("住房情况与申请相符")),
        ("members", _("家庭成员与申请相符")),
        ("income", _("收入来源已核实")),
        ("papers", _("证明材料原件已查验")),
        ("neighbours", _("已走访邻里或村（社区）")),
    )

    request = models.OneToOneField(
        HelpRequest, verbose_name=_("帮扶申请"), on_delete=models.CASCADE, related_name="visit"
    )
    visited_on = models.DateField(_("入户日期"))
    visitor_one = models.CharField(_("调查人一"), max_length=40)
    visitor_two = models.CharField(_("调查人二"), max_length=40)
    checklist = models.JSONField(_("核查事项"), default=list, blank=True)
    notes = models.TextField(_("调查记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")

    def __str__(self):
        return f"{self.request} · {self.visited_on}"

    def checklist_rows(self):
        done = set(self.checklist or [])
        return [(label, key in done) for key, label in self.CHECKLIST]


class Event(models.Model):
    """One line on the case timeline (the worker sees it too: no notes that are not theirs)."""

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("帮扶申请"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=10, choices=HelpRequest.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理进程")
        verbose_name_plural = _("办理进程")

    def __str__(self):
        return f"{self.request_id} {self.get_state_display()}"


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("帮扶发放台账只能追加，不能修改；更正请登记一笔冲正记录。"))

    def delete(self):
        raise ValidationError(_("帮扶发放台账只能追加，不能删除；更正请登记一笔冲正记录。"))


class LedgerEntry(DemoMixin, models.Model):
    """Append-only: each payment or item given. A correction is a reversing row (negative amount)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("慰问金（现金/转账）")
        MEDICAL = "medical", _("医疗救助金")
        SCHOOL = "school", _("助学金")
        ITEMS = "items", _("慰问物资")
        SERVICE = "service", _("就业或其他服务")
        REVERSAL = "reversal", _("冲正")

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("帮扶申请"), on_delete=models.PROTECT, related_name="ledger"
    )
    date = models.DateField(_("发放日期"))
    kind = models.CharField(_("发放类型"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=9, decimal_places=2, default=0)
    description = models.CharField(_("发放内容"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    entered_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("帮扶发放台账")
        verbose_name_plural = _("帮扶发放台账")

    def __str__(self):
        return f"{self.request_id} {self.date} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("帮扶发放台账只能追加，不能修改；更正请登记一笔冲正记录。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("帮扶发放台账只能追加，不能删除；更正请登记一笔冲正记录。"))


class Objection(TimeStampedModel):
    """An objection to a 公示 entry, sent by a signed-in person; only officers read it."""

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("帮扶申请"), on_delete=models.CASCADE, related_name="objections"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    contact = models.CharField(_("联系方式"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self):
        return f"{self.request_id} · {self.created_at:%Y-%m-%d}"
