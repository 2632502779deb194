"""Choices shared by several legal-aid models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


class Topic(models.TextChoices):
    WAGES = "wages", _("工资拖欠")
    INJURY = "injury", _("工伤认定与工伤保险待遇")
    CONTRACT = "contract", _("劳动合同订立/解除与经济补偿")
    INSURANCE = "insurance", _("社会保险")
    HOURS = "hours", _("工时与休息休假")
    NEW_FORM = "new_form", _("新就业形态权益")
    WOMEN = "women", _("女职工特殊保护")
    OTHER = "other", _("其他")


class Service(models.TextChoices):
    ADVICE = "advice", _("法律咨询")
    MEDIATION = "mediation", _("劳动争议调解")
    DRAFTING = "drafting", _("代写文书")
    REFERRAL = "referral", _("法律援助转介")
    GUIDANCE = "guidance", _("仲裁/诉讼指引")
