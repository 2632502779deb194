"""The benefits block of the leaders' dashboard and the linked metrics of items 5 and 8: what
counts is the provider's check-in (delivered), never a typed report."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.contract import Figure, FigureGroup
from apps.core.status import figure_status
from apps.enrolment.models import Enrolment, Satisfaction

from .models import Application, Kind, Programme

State = Enrolment.State


def metric_key(kind: str) -> str:
    return f"benefits.{kind}.delivered"


def delivered(kind: str, year: int) -> int:
    """People served (checked in by the provider, or the policy issued) by programmes of a kind and year."""
    return Application.objects.filter(
        programme__kind=kind, programme__year=year, enrolment__state=State.ATTENDED
    ).count()


def new_form_delivered(year: int) -> int:
    """Distinct new-form workers (快递员, 外卖配送员 … on their profile) served by a programme of
    the year, whatever its kind (one of the counts behind item 10's 新业态服务)."""
    from apps.accounts.models import NEW_FORM_OCCUPATIONS

    return (
        Application.objects.filter(
            programme__year=year,
            enrolment__state=State.ATTENDED,
            enrolment__person__occupation__in=NEW_FORM_OCCUPATIONS,
        )
        .values("enrolment__person_id")
        .distinct()
        .count()
    )


def year_counts(year: int) -> dict:
    apps_ = Application.objects.filter(programme__year=year)
    row = apps_.aggregate(
        applied=Count("pk"),
        offered=Count("pk", filter=Q(enrolment__offered_at__isnull=False) | Q(enrolment__confirmed_at__isnull=False)),
        confirmed=Count("pk", filter=Q(enrolment__confirmed_at__isnull=False)),
        delivered=Count("pk", filter=Q(enrolment__state=State.ATTENDED)),
        no_show=Count("pk", filter=Q(enrolment__state=State.NO_SHOW)),
    )
    row["places"] = Programme.objects.filter(year=year).aggregate(n=Sum("roster__places"))["n"] or 0
    per_kind = Counter(
        dict(
            apps_.filter(enrolment__state=State.ATTENDED)
            .values_list("programme__kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    row["per_kind"] = per_kind
    row["by_group"] = tuple(
        (name or _("其他申请人"), n)
        for name, n in apps_.filter(enrolment__state=State.ATTENDED)
        .values_list("enrolment__priority_group__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    row["by_town"] = tuple(
        (name or _("未填写"), n)
        for name, n in apps_.filter(enrolment__state=State.ATTENDED)
        .values_list("person__town__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:12]
    )
    answers = Satisfaction.objects.filter(enrolment__benefit_application__programme__year=year).aggregate(
        n=Count("pk"), avg=Avg("score")
    )
    row["answers"], row["average"] = answers["n"], answers["avg"]
    return row


def figure_group(year: int) -> FigureGroup:
    n = year_counts(year)
    targets = registry.metric_targets(year)
    link = reverse("benefits:catalogue") + f"?year={year}"
    figures = [
        Figure("places", _("名额"), n["places"], _("个"), link=link, definition=_("该年各普惠项目的名额合计")),
        Figure(
            "applied",
            _("申请"),
            n["applied"],
            _("人"),
            definition=_("该年个人申请和基层工会推荐的人数（符合条件才能提交）"),
        ),
        Figure(
            "eligible",
            _("符合条件"),
            n["applied"],
            _("人"),
            definition=_("提交时按规则符合条件的申请人数（不符合的不能提交）"),
        ),
        Figure(
            "offered", _("获得名额"), n["offered"], _("人"), definition=_("抽签中签、先到先得或候补转正得到名额的人数")
        ),
        Figure("confirmed", _("确认名额"), n["confirmed"], _("人"), definition=_("在保留时间内确认名额的人数")),
        Figure("delivered", _("已完成服务"), n["delivered"], _("人"), definition=_("服务机构签到（或保单出具）的人数")),
        Figure("no_show", _("未到场"), n["no_show"], _("人"), definition=_("服务期结束仍未签到的已确认人数")),
    ]
    share = None
    if n["places"]:
        share = (Decimal(n["delivered"]) * 100 / Decimal(n["places"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
    figures.append(
        Figure(
            "used",
            _("名额使用率"),
            share,
            "%",
            definition=_("已完成服务人数 ÷ 名额（%(d)s / %(p)s）") % {"d": n["delivered"], "p": n["places"]},
        )
    )
    for kind, label in Kind.choices:
        value, target = n["per_kind"].get(kind, 0), targets.get(metric_key(kind))
        if value or target is not None:
            figures.append(
                Figure(
                    f"{kind}_delivered",
                    _("%(kind)s 完成人数") % {"kind": label},
                    value,
                    _("名"),
                    target=target,
                    link=link,
                    status=figure_status(value, target, year=year),
                    definition=_("该年“%(kind)s”项目由服务机构签到确认完成的人数") % {"kind": label},
                )
            )
    average = None
    if n["answers"]:
        average = Decimal(str(n["average"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    figures.append(
        Figure(
            "satisfaction",
            _("平均满意度"),
            average,
            _("分（满分5）"),
            definition=_("完成服务后的满意度评价（1–5 分）的平均，共 %(n)s 份评价") % {"n": n["answers"]},
        )
    )
    tables = []
    if n["by_group"]:
        tables.append((_("完成人数·按优先组"), n["by_group"]))
    if n["by_town"]:
        tables.append((_("完成人数·按乡镇"), n["by_town"]))
    return FigureGroup("benefits", _("普惠服务"), tuple(figures), order=62, tables=tuple(tables))
