"""The service ledger: one row per service given at or by a station."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import DemoMixin, TimeStampedModel

from .choices import Topic
from .consultations import Consultation
from .stations import LegalStation


class LedgerEntry(TimeStampedModel, DemoMixin):
    class Channel(models.TextChoices):
        VISIT = "visit", _("到站")
        PHONE = "phone", _("电话")
        ENTERPRISE = "enterprise", _("入企")
        EVENT = "event", _("活动现场")

    station = models.ForeignKey(
        LegalStation, verbose_name=_("服务站"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    date = models.DateField(_("日期"))
    channel = models.CharField(_("服务方式"), max_length=12, choices=Channel.choices)
    topic = models.CharField(pgettext_lazy("legal topic", "问题类型"), max_length=12, choices=Topic.choices)
    people = models.PositiveIntegerField(_("服务人数"))
    new_form_people = models.PositiveIntegerField(_("其中新就业形态劳动者"), default=0)
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("来源咨询"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("服务台账")
        verbose_name_plural = _("服务台账")
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="legal_aid_ledger_people_positive"),
            models.CheckConstraint(
                condition=Q(new_form_people__lte=models.F("people")), name="legal_aid_ledger_new_form_le_people"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.station} {self.date} {self.people}"
