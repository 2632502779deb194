"""Ten practical things through ``/api/v1/tenthings/``: the published years, a year's items with
their progress, an item with its indicators and verified reports; a signed-in worker follows
and rates items. Reads and writes call the pages' selectors and services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema

from apps.core.api import ERRORS, form_invalid, public_read, session_token
from apps.core.pagecache import public_fragment

from . import selectors, services
from .forms import RatingForm
from .models import Item

router = Router(tags=["tenthings"])


class PlanOut(Schema):
    year: int
    title: str
    url: str


class ItemRowOut(Schema):
    number: int
    title: str
    lead_unit: str
    status: str
    status_label: str
    percent: int
    stale: bool
    last_verified: datetime.date | None
    url: str


class PlanProgressOut(PlanOut):
    as_of: datetime.date
    percent: int
    elapsed_percent: int
    status: str
    status_label: str
    items: list[ItemRowOut]


class IndicatorOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    target: Decimal | None
    actual: Decimal
    done: bool
    percent: int
    figure: str
    linked: bool


class PhotoOut(Schema):
    url: str
    caption: str


class ReportOut(Schema):
    id: int
    indicator: str
    reported_on: datetime.date
    amount: Decimal | None
    milestone_done: bool
    narrative: str
    photos: list[PhotoOut]


class ItemOut(ItemRowOut):
    year: int
    description: str
    responsible: str
    indicators: list[IndicatorOut]
    reports: list[ReportOut]
    reports_page: int
    reports_pages: int
    rating_average: Decimal | None
    rating_count: int
    follower_count: int


class MineOut(Schema):
    stars: int | None
    following: bool


class FollowIn(Schema):
    follow: bool


class RatingIn(Schema):
    stars: int


def _plan_out(plan) -> dict:
    return {"year": plan.year, "title": plan.title, "url": plan.get_absolute_url()}


def _row(progress) -> dict:
    item = progress.item
    return {
        "number": item.number,
        "title": item.title,
        "lead_unit": str(item.lead_unit) if item.lead_unit_id else "",
        "status": progress.status.value,
        "status_label": str(progress.status_label),
        "percent": progress.percent_int,
        "stale": progress.stale,
        "last_verified": progress.last_verified,
        "url": progress.url,
    }


@router.get("/years", response=list[PlanOut], summary="历年十件实事", url_name="tenthings_years")
@public_read
def years(request):
    """Every published plan, newest first."""
    return [_plan_out(plan) for plan in selectors.plans_published()]


@router.get(
    "/years/{year}",
    response={200: PlanProgressOut, 404: ERRORS[404]},
    summary="年度实事进展",
    url_name="tenthings_year",
)
@public_read
def year(request, year: int):
    """A year's plan with each item's completion and status, as the year page shows them."""
    plan = selectors.plan_pick(selectors.plans_published(), year=year)
    if plan is None:
        raise Http404
    progress = public_fragment(
        f"tenthings-plan:{plan.pk}:{timezone.localdate().isoformat()}",
        lambda: selectors.plan_progress(plan, cached_metrics=True),
    )
    return {
        **_plan_out(plan),
        "as_of": progress.as_of,
        "percent": progress.percent_int,
        "elapsed_percent": progress.elapsed_percent_int,
        "status": progress.status.value,
        "status_label": str(progress.status.label),
        "items": [_row(p) for p in progress.items],
    }


def _report(report) -> dict:
    return {
        "id": report.pk,
        "indicator": report.indicator.name,
        "reported_on": report.reported_on,
        "amount": report.amount,
        "milestone_done": report.milestone_done,
        "narrative": report.narrative,
        "photos": [{"url": photo.image.url, "caption": photo.caption} for photo in report.photo_list],
    }


@router.get(
    "/years/{year}/items/{number}",
    response={200: ItemOut, 404: ERRORS[404]},
    summary="实事详情",
    url_name="tenthings_item",
)
@public_read
def item(request, year: int, number: int, page: int = 1):
    """An item with its indicators and one page of verified reports (newest first)."""
    asked = str(max(1, page))
    name = f"tenthings-item-page:{get_language()}:{year}:{number}:{asked}:{timezone.localdate().isoformat()}"
    found = public_fragment(name, lambda: selectors.item_page(year, number, user=None, page=asked))
    progress, its = found.progress, found.progress.item
    return {
        **_row(progress),
        "year": found.plan.year,
        "description": its.description,
        "responsible": its.responsible.display_name if its.responsible_id else "",
        "indicators": [
            {
                "id": row.indicator.pk,
                "name": row.indicator.name,
                "kind": row.indicator.kind,
                "unit": row.indicator.unit,
                "target": row.indicator.target,
                "actual": row.actual,
                "done": row.done,
                "percent": row.percent_int,
                "figure": row.figure,
                "linked": row.linked,
            }
            for row in progress.indicators
        ],
        "reports": [_report(r) for r in found.reports.object_list],
        "reports_page": found.reports.number,
        "reports_pages": found.reports.paginator.num_pages,
        "rating_average": found.rating_avg,
        "rating_count": found.rating_count,
        "follower_count": found.follower_count,
    }


def _published_item(year: int, number: int) -> Item:
    plan = selectors.plan_published_get(year)
    return get_object_or_404(Item, plan=plan, number=number)


@router.get(
    "/years/{year}/items/{number}/mine",
    response={200: MineOut, 401: ERRORS[401], 404: ERRORS[404]},
    auth=session_token,
    summary="我的评价与关注",
    url_name="tenthings_item_mine",
)
def item_mine(request, year: int, number: int):
    """The stars this worker gave the item and whether they follow it."""
    found = selectors.item_page(year, number, user=request.user)
    return {"stars": found.my_stars, "following": found.following}


@router.put(
    "/years/{year}/items/{number}/follow",
    response={200: MineOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="关注/取消关注",
    url_name="tenthings_follow",
)
def follow(request, year: int, number: int, payload: FollowIn):
    """Follow an item (told of its new progress) or stop following it."""
    its = _published_item(year, number)
    following = services.follow_set(item=its, user=request.user, follow=payload.follow)
    stars = its.ratings.filter(user=request.user).values_list("stars", flat=True).first()
    return {"stars": stars, "following": following}


@router.put(
    "/years/{year}/items/{number}/rating",
    response={200: MineOut, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    auth=session_token,
    summary="满意度评价",
    url_name="tenthings_rate",
)
def rate(request, year: int, number: int, payload: RatingIn):
    """Rate an item 1 to 5 stars (a second rating changes the first)."""
    its = _published_item(year, number)
    form = RatingForm({"stars": payload.stars})
    if not form.is_valid():
        raise ValidationError({"stars": [_("请选择 1 到 5 星。")]}, code="invalid_stars") from form_invalid(form)
    stars = form.cleaned_data["stars"]
    try:
        rating = services.rating_add(item=its, user=request.user, stars=stars)
    except ValidationError as exc:
        if getattr(exc, "code", None) != "already_rated":
            raise
        rating = services.rating_change(item=its, user=request.user, stars=stars)
    following = its.follows.filter(user=request.user).exists()
    return {"stars": rating.stars, "following": following}
