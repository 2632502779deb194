"""The activities block of the leaders' dashboard: held and person-times per kind against the
targets of the year's plan (linked indicators), the no-show rate and satisfaction."""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.contract import Figure, FigureGroup
from apps.core.status import figure_status

from .models import Kind
from .selectors import year_figures


def held_key(kind: str) -> str:
    return f"activities.{kind}.held"


def times_key(kind: str) -> str:
    return f"activities.{kind}.person_times"


def figure_group(year: int) -> FigureGroup:
    n = year_figures(year)
    targets = registry.metric_targets(year)  # one read of the plan for every figure's target
    link = reverse("activities:list")
    figures = []
    for kind, label in Kind.choices:
        held, times = n["held"][kind], n["times"][kind]
        held_target, times_target = targets.get(held_key(kind)), targets.get(times_key(kind))
        if held or held_target is not None:
            figures.append(
                Figure(
                    f"{kind}_held",
                    _("%(kind)s 举办场次") % {"kind": label},
                    held,
                    _("场"),
                    target=held_target,
                    link=link,
                    status=figure_status(held, held_target, year=year),
                    definition=_("首场在该年、已举办且有人到场（签到或登记人数大于0）的“%(kind)s”活动数")
                    % {"kind": label},
                )
            )
        if times or times_target is not None:
            figures.append(
                Figure(
                    f"{kind}_person_times",
                    _("%(kind)s 参加人次") % {"kind": label},
                    times,
                    _("人次"),
                    target=times_target,
                    status=figure_status(times, times_target, year=year),
                    definition=_("该年“%(kind)s”各场次的签到人次加主办方登记的到场人数（已取消的场次不计）")
                    % {"kind": label},
                )
            )
    held_all, times_all = sum(n["held"].values()), sum(n["times"].values())
    figures.insert(
        0, Figure("held", _("举办活动"), held_all, _("场"), link=link, definition=_("该年已举办且有人到场的各类活动数"))
    )
    figures.insert(
        1, Figure("person_times", _("参加人次"), times_all, _("人次"), definition=_("该年各类活动签到人次加登记人数"))
    )
    rate = None
    if n["held_places"]:
        rate = (Decimal(n["no_show"]) * 100 / Decimal(n["held_places"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
    figures.append(
        Figure(
            "no_show_rate",
            _("报名未到场率"),
            rate,
            "%",
            status="warn" if rate is not None and rate > 20 else "",
            definition=_("活动结束后报名成功但未签到的人数 ÷ 报名成功的人数（%(no)s / %(all)s；现场加入的不计）")
            % {"no": n["no_show"], "all": n["held_places"]},
        )
    )
    average = None
    if n["answers"]:
        average = (Decimal(n["score_total"]) / Decimal(n["answers"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    figures.append(
        Figure(
            "satisfaction",
            _("平均满意度"),
            average,
            _("分（满分5）"),
            definition=_("参加者活动后的满意度评价（1–5 分）的平均，共 %(n)s 份评价") % {"n": n["answers"]},
        )
    )
    if n["upcoming"] is not None:
        figures.append(
            Figure(
                "upcoming",
                _("本月待举办"),
                n["upcoming"],
                _("场"),
                link=link,
                definition=_("本月内开始、已发布尚未举办的活动"),
            )
        )
    return FigureGroup("activities", _("活动报名"), tuple(figures), order=60)
