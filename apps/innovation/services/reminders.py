"""The daily innovation reminders (each at most once: the natural key is the Notification's unique key)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    REVIEW_PHASES,
    Campaign,
    Phase,
    Project,
    Publicity,
    Review,
    ReviewAssignment,
    SpecialContract,
    TechProblem,
)

S = Project.Status


# --- Reminders (each at most once: the natural key is the Notification's unique key) -------


def reminders_send(*, today: datetime.date | None = None) -> dict:
    """Daily: every innovation reminder that is due today; re-running sends nothing twice."""
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    today = today or timezone.localdate()
    sent = dict.fromkeys(
        ["entries_open", "entries_closing", "endorsement", "review_due", "overdue", "publicity", "contract", "problem"],
        0,
    )
    officers = users_holding("innovation_officer", include_superusers=False)
    for campaign in Campaign.objects.filter(entry_opens__lte=today, entry_closes__gte=today):
        sent["entries_open"] += notify_all(
            users_holding("enterprise_union", include_superusers=False),
            kind="innovation.entries",
            key=f"innovation:entries-open:{campaign.pk}",
            title=_("%(name)s 开始申报") % {"name": campaign.name},
            body=_("申报截止日期 %(d)s，请组织职工申报。") % {"d": campaign.entry_closes.isoformat()},
            url=reverse("innovation:index"),
        )
        if (campaign.entry_closes - today).days <= 3:
            owners = Project.objects.filter(campaign=campaign, status__in=[S.DRAFT, S.RETURNED]).values("owner_id")
            sent["entries_closing"] += notify_all(
                [row["owner_id"] for row in owners if row["owner_id"]],
                kind="innovation.entries",
                key=f"innovation:entries-closing:{campaign.pk}",
                title=_("创新项目申报将于 %(d)s 截止，您还有草稿未提交") % {"d": campaign.entry_closes.isoformat()},
                url=reverse("innovation:mine"),
            )
    waiting = Project.objects.filter(status=S.SUBMITTED, submitted_at__date__lte=today - datetime.timedelta(days=5))
    for project in waiting:
        sent["endorsement"] += notify_all(
            users_holding("enterprise_union", obj=project),
            kind="innovation.endorsement",
            key=f"innovation:endorse-waiting:{project.pk}:{project.submitted_at:%Y%m%d}",
            title=_("创新项目已等待推荐超过 5 天：%(t)s") % {"t": project.title},
            url=reverse("innovation:endorse_queue"),
        )
    for campaign in Campaign.objects.filter(phase__in=REVIEW_PHASES, review_due__isnull=False):
        days = (campaign.review_due - today).days
        submitted = Review.objects.filter(
            project__campaign=campaign, phase=campaign.phase, status=Review.Status.SUBMITTED
        )
        pending = ReviewAssignment.objects.filter(
            project__campaign=campaign, phase=campaign.phase, recused_at__isnull=True
        ).values_list("reviewer_id", "project_id")
        done = set(submitted.values_list("reviewer_id", "project_id"))
        late_reviewers = sorted({r for r, p in pending if (r, p) not in done})
        if days in (3, 1):
            sent["review_due"] += notify_all(
                late_reviewers,
                kind="innovation.review_due",
                key=f"innovation:review-due:{campaign.pk}:{campaign.phase}:{days}",
                title=_("创新成果评审将于 %(d)s 截止，您还有项目未提交") % {"d": campaign.review_due.isoformat()},
                url=reverse("innovation:reviews"),
            )
        if days < 0 and late_reviewers:
            sent["overdue"] += notify_all(
                officers,
                kind="innovation.review_overdue",
                key=f"innovation:review-overdue:{campaign.pk}:{campaign.phase}",
                title=_("%(name)s：%(n)s 位专家的评审已逾期") % {"name": campaign.name, "n": len(late_reviewers)},
                url=reverse("innovation:manage_campaign", args=[campaign.pk]),
            )
    for publicity in Publicity.objects.filter(ends__lt=today, campaign__phase=Phase.PUBLICITY).select_related(
        "campaign"
    ):
        sent["publicity"] += notify_all(
            officers,
            kind="innovation.publicity",
            key=f"innovation:publicity-ended:{publicity.pk}",
            title=_("%(name)s 公示期已结束，请处理异议并发布表彰") % {"name": publicity.campaign.name},
            url=reverse("innovation:manage_campaign", args=[publicity.campaign_id]),
        )
    for contract in SpecialContract.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=60)
    ).select_related("enterprise"):
        title = _("%(e)s 的职工技术创新专项集体合同将于 %(d)s 到期") % {
            "e": contract.enterprise,
            "d": contract.expires_on.isoformat(),
        }
        key = f"innovation:contract-expiring:{contract.pk}:{contract.expires_on:%Y%m%d}"
        sent["contract"] += notify_all(
            users_holding("enterprise_union", obj=contract), kind="innovation.contract", key=key, title=title
        )
        sent["contract"] += notify_all(officers, kind="innovation.contract", key=key, title=title)
    for problem in TechProblem.objects.filter(
        status=TechProblem.Status.POSTED, posted_on__lte=today - datetime.timedelta(days=30)
    ):
        sent["problem"] += notify_all(
            officers,
            kind="innovation.problem",
            key=f"innovation:problem-unclaimed:{problem.pk}",
            title=_("技术难题发布 30 天无人认领：%(t)s") % {"t": problem.title},
            url=reverse("innovation:problems"),
        )
    return sent
