"""The innovation block of the leaders' dashboard (through the app contract)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.contract import Figure, FigureGroup
from apps.core.status import figure_status

from .selectors import dashboard_numbers


def _vs_last(text, last: int):
    return _("%(text)s；上年同期 %(last)s") % {"text": text, "last": last}


def figure_group(year: int) -> FigureGroup:
    """Declared/screened/reviewed/awarded vs last year, reviews, Taizhou awards, points, 助企行 vs item 4."""
    n = dashboard_numbers(year)
    now, last, service = n["now"], n["last"], n["service"]
    targets = service["targets"]  # from the year's plan; None: no target shown
    link = reverse("innovation:index")
    figures = (
        Figure(
            "declared",
            _("申报项目"),
            now["declared"],
            _("项"),
            link=link,
            definition=_vs_last(_("该年活动中已提交的项目（不含草稿和撤回）"), last["declared"]),
        ),
        Figure(
            "screened",
            _("通过形式审查"),
            now["screened"],
            _("项"),
            definition=_vs_last(_("该年活动中通过形式审查（含其后各环节）的项目"), last["screened"]),
        ),
        Figure(
            "reviewed",
            _("完成专家评审"),
            now["reviewed"],
            _("项"),
            definition=_vs_last(_("该年活动中已排名或更进一步的项目"), last["reviewed"]),
        ),
        Figure(
            "awarded",
            _("获市级表彰"),
            now["awarded"],
            _("项"),
            definition=_vs_last(_("该年活动中表彰发布后获奖的项目"), last["awarded"]),
        ),
        Figure(
            "reviews_done",
            _("已提交评审"),
            n["reviews_done"],
            _("份"),
            target=n["reviews_assigned"] or None,
            definition=_("该年活动中专家已提交的评分表；目标为未回避的评审指派数"),
        ),
        Figure(
            "taizhou",
            _("泰州市级荣誉"),
            now["taizhou_project"] + now["wuyi_medal"] + now["wuyi_innovator"],
            _("项"),
            definition=_("该年录入的泰州市优秀技术创新成果奖 %(p)s 项、五一劳动奖章 %(m)s 人、五一创新能手 %(i)s 人")
            % {"p": now["taizhou_project"], "m": now["wuyi_medal"], "i": now["wuyi_innovator"]},
        ),
        Figure(
            "points",
            _("发放创新积分"),
            n["points"],
            _("分"),
            definition=_("该年积分台账所有记录之和（冲正记录为负数）"),
        ),
        Figure(
            "visits",
            _("助企行技术服务"),
            service["visits"],
            pgettext_lazy("service visits", "次"),
            target=targets["visits"],
            status=figure_status(service["visits"], targets["visits"], year=year),
            definition=_("该年登记的劳模工匠助企行技术服务活动次数（十件实事第4项）"),
        ),
        Figure(
            "solved",
            _("解决技术难题"),
            service["solved"],
            _("项"),
            target=targets["problems"],
            status=figure_status(service["solved"], targets["problems"], year=year),
            definition=_("该年经企业确认已解决的技术难题数"),
        ),
        Figure(
            "trained",
            _("职工技能提升"),
            service["trained"],
            pgettext_lazy("people trained", "人次"),
            target=targets["trained"],
            status=figure_status(service["trained"], targets["trained"], year=year),
            definition=_("该年助企行服务活动中培训职工的人次之和"),
        ),
    )
    table = (
        _("%(year)s 年（对比）") % {"year": year - 1},
        (
            (_("申报项目"), last["declared"]),
            (_("通过形式审查"), last["screened"]),
            (_("完成专家评审"), last["reviewed"]),
            (_("获市级表彰"), last["awarded"]),
            (_("泰州市优秀技术创新成果奖"), last["taizhou_project"]),
        ),
    )
    tables = [table]
    if n["by_category"]:
        tables.append((_("按类别申报"), tuple(n["by_category"])))
    if n["by_employer"]:
        tables.append((_("申报最多的单位"), tuple(n["by_employer"])))
    return FigureGroup("innovation", _("职工技术创新"), figures, order=60, tables=tuple(tables))
