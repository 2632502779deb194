"""Worker innovation through ``/api/v1/innovation/``: the public figures of the index page and the
awarded, non-confidential projects. Reads call the pages' selectors (nothing private here)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema

from apps.core.api import ERRORS, public_read
from apps.core.pagecache import public_fragment

from . import selectors

router = Router(tags=["innovation"])


class YearFiguresOut(Schema):
    year: int
    declared: int
    screened: int
    reviewed: int
    awarded: int
    city: int
    taizhou_project: int
    wuyi_medal: int
    wuyi_innovator: int
    province: int


class ServiceOut(Schema):
    year: int
    visits: int
    trained: int
    solved: int


class LeaderOut(Schema):
    rank: int
    name: str
    points: int
    anonymous: bool


class OpenCampaignOut(Schema):
    name: str
    entry_closes: datetime.date


class FiguresOut(Schema):
    figures: list[YearFiguresOut]
    service: ServiceOut
    open_campaign: OpenCampaignOut | None
    publicity_year: int | None
    points_year: int
    leaders_year: list[LeaderOut]
    leaders_all: list[LeaderOut]


class ProjectRowOut(Schema):
    id: int
    title: str
    year: int
    category: str
    employer: str
    awards: list[str]
    url: str


class ProjectOut(Schema):
    id: int
    title: str
    year: int
    campaign: str
    category: str
    employer: str
    summary: str
    team: list[str]
    usage: str
    money_saved: Decimal | None
    patents: str
    problem: str
    solution: str
    other_benefit: str
    awards: list[str]
    url: str


def _index():
    today = timezone.localdate()
    # The same fragment as the index page: built once per page-cache generation, language and day.
    return public_fragment(
        f"innovation-index:{get_language()}:{today.isoformat()}", lambda: selectors.index_page(today)
    )


def _leaders(rows) -> list[dict]:
    return [{"rank": r.rank, "name": r.name, "points": r.points, "anonymous": r.anonymous} for r in rows]


@router.get("/figures", response=FiguresOut, summary="创新工作数据", url_name="innovation_figures")
@public_read
def figures(request):
    """The index page's figures: declarations and awards by year, service visits, points leaders
    (names only with the person's consent)."""
    index = _index()
    service = index["service"]
    return {
        "figures": index["figures"],
        "service": {
            "year": index["service_year"],
            "visits": service["visits"],
            "trained": service["trained"],
            "solved": service["solved"],
        },
        "open_campaign": index["open_campaign"],
        "publicity_year": index["publicity_year"],
        "points_year": index["year"],
        "leaders_year": _leaders(index["leaders_year"]),
        "leaders_all": _leaders(index["leaders_all"]),
    }


@router.get("/projects", response=list[ProjectRowOut], summary="获奖项目", url_name="innovation_projects")
@public_read
def projects(request):
    """The awarded, non-confidential projects the index shows, newest campaign first."""
    return [
        {
            "id": row.pk,
            "title": row.title,
            "year": row.year,
            "category": row.category,
            "employer": row.employer,
            "awards": row.awards,
            "url": row.url,
        }
        for row in _index()["showcase"]
    ]


@router.get(
    "/projects/{pk}", response={200: ProjectOut, 404: ERRORS[404]}, summary="项目详情", url_name="innovation_project"
)
@public_read
def project(request, pk: int):
    """A public project (awarded, not confidential, the employer consenting); anything else is 404."""
    found = selectors.project_public(pk)
    return {
        "id": found.pk,
        "title": found.title,
        "year": found.campaign.year,
        "campaign": found.campaign.name,
        "category": found.category.name,
        "employer": str(found.employer),
        "summary": found.summary,
        "team": [member.name for member in found.team.all()],
        "usage": str(found.get_usage_display()),
        "money_saved": found.money_saved,
        "patents": found.patents,
        "problem": found.problem,
        "solution": found.solution,
        "other_benefit": found.other_benefit,
        "awards": [
            f"{award.year} {award.get_kind_display()}" + (f" {award.get_level_display()}" if award.level else "")
            for award in found.awards.all()
        ],
        "url": found.get_absolute_url(),
    }
