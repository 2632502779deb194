"""Where an application or a transfer goes: the employer's union, else the industry union for
the occupation, else the town's union, else the city union — with the reason in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import Occupation
from apps.core.models import Organization


@dataclass(frozen=True)
class RouteChoice:
    union: Organization
    route: str
    reason: str


def _unions():
    return Organization.objects.filter(kind=Organization.Kind.UNION)


def route_for(*, employer=None, occupation: str = "", town=None) -> RouteChoice:
    """The union that decides, by the rule everyone can read: employer → industry → town → city."""
    from ..models import Route

    if employer is not None and employer.covered_by_id is not None:
        union = employer.covered_by
        reason = _("工作单位“%(employer)s”已建工会，由%(union)s受理。") % {
            "employer": employer.name,
            "union": union.name,
        }
        return RouteChoice(union, Route.EMPLOYER, reason)
    if employer is not None and employer.kind == Organization.Kind.UNION:
        raise ValidationError({"employer": _("请选择您的工作单位，而不是工会。")})
    where = _("工作单位“%(employer)s”尚未建会") % {"employer": employer.name} if employer else _("工作单位未列出")
    if occupation:
        industry = _unions().filter(union_level=Organization.UnionLevel.INDUSTRY, industry=occupation).first()
        if industry is not None:
            label = Occupation(occupation).label if occupation in Occupation.values else occupation
            reason = _("%(where)s，按职业“%(occupation)s”由行业工会%(union)s受理。") % {
                "where": where,
                "occupation": label,
                "union": industry.name,
            }
            return RouteChoice(industry, Route.INDUSTRY, reason)
    if town is not None:
        town_union = _unions().filter(union_level=Organization.UnionLevel.TOWN, town=town).order_by("pk").first()
        if town_union is not None:
            reason = _("%(where)s，按工作所在地“%(town)s”由%(union)s受理。") % {
                "where": where,
                "town": town.name,
                "union": town_union.name,
            }
            return RouteChoice(town_union, Route.TOWN, reason)
    city = _unions().filter(union_level=Organization.UnionLevel.CITY).order_by("pk").first()
    if city is None:
        raise ValidationError(_("暂时没有可以受理的工会，请拨打 12351 职工服务热线咨询。"))
    reason = _("%(where)s，所在地尚无乡镇工会，由%(union)s受理。") % {"where": where, "union": city.name}
    return RouteChoice(city, Route.CITY, reason)
