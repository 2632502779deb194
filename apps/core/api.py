"""``/api/v1/``: one django-ninja API; each app contributes its own ``Router`` through the app
contract's ``api_router()`` hook, mounted here under ``/api/v1/<app label>/``.

Core's own router serves the foundation's public reads (towns, the working-day calendar).
The interactive docs page is off: it would load Swagger's scripts from a CDN; the OpenAPI
document is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router, Schema

from .models import Town


class TownOut(Schema):
    id: int
    name: str
    kind: str


class WorkingDayOut(Schema):
    day: datetime.date
    working: bool


router = Router(tags=["core"])


@router.get("/towns", response=list[TownOut], summary="乡镇/街道")
def towns(request):
    """Every town and street of the city, in the order the union lists them."""
    return list(Town.objects.order_by("sort_order", "name"))


@router.get("/working-days", response=list[WorkingDayOut], summary="工作日")
def working_days(request, start: datetime.date, days: int = 14):
    """Whether each of ``days`` days from ``start`` is a working day (holidays and 调休 counted)."""
    from ninja.errors import HttpError

    from .workdays import is_working_day

    if not 1 <= days <= 366:
        raise HttpError(422, str(_("天数必须在 1 到 366 之间。")))
    return [
        {"day": start + datetime.timedelta(days=i), "working": is_working_day(start + datetime.timedelta(days=i))}
        for i in range(days)
    ]


def build_api() -> NinjaAPI:
    """The API with every app's router mounted (called once, by the URLconf)."""
    from .registry import api_routers

    api = NinjaAPI(
        title="Union Portal API",
        version="1",
        description="兴化市总工会职工服务门户的开放接口（手机 APP、微信小程序）。",
        urls_namespace="api-v1",
        docs_url=None,
    )
    for label, app_router in api_routers():
        api.add_router(f"/{label}/", app_router)
    return api
