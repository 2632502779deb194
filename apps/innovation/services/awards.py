"""Ranking, the committee's decisions, the 公示 and its objections, publishing awards, outside awards."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pagecache import pages_changed
from apps.core.private_files import checked_file

from ..models import (
    REVIEW_PHASES,
    Award,
    AwardLevel,
    Campaign,
    Decision,
    Objection,
    Phase,
    Project,
    Publicity,
    RankingEntry,
    Review,
    ReviewAssignment,
)
from .points import points_award, points_for_project
from .reviews import TWO
from .transitions import locked_project, status_set

S = Project.Status


AWARD_RULE_BY_LEVEL = {
    AwardLevel.FIRST: "city_award_first",
    AwardLevel.SECOND: "city_award_second",
    AwardLevel.THIRD: "city_award_third",
    AwardLevel.EXCELLENT: "city_award_excellent",
}
EXTERNAL_RULES = {
    Award.Kind.TAIZHOU_PROJECT: "taizhou_award",
    Award.Kind.PROVINCE: "province_award",
    Award.Kind.NATIONAL: "national_award",
}


# --- Ranking and decisions ----------------------------------------------------------------


def aggregate_totals(
    totals: list[Decimal], *, drop_from: int, threshold: Decimal
) -> tuple[Decimal, Decimal, bool, bool]:
    """(mean, spread, dropped extremes, disagreement) of reviewers' weighted totals."""
    ordered = sorted(totals)
    spread = ordered[-1] - ordered[0]
    dropped = bool(drop_from) and len(ordered) >= drop_from and len(ordered) >= 3
    kept = ordered[1:-1] if dropped else ordered
    mean = (sum(kept) / len(kept)).quantize(TWO, rounding=ROUND_HALF_UP)
    return mean, spread.quantize(TWO), dropped, spread > threshold


@transaction.atomic
def ranking_compute(*, campaign: Campaign, phase: str = Phase.EXPERT_REVIEW) -> int:
    """Rank projects within each category by mean weighted total; ties go to the larger documented benefit."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    active = ReviewAssignment.objects.filter(project__campaign=campaign, phase=phase, recused_at__isnull=True)
    rows = Review.objects.filter(
        project__campaign=campaign,
        phase=phase,
        status=Review.Status.SUBMITTED,
        weighted_total__isnull=False,
        reviewer_id__in=active.values("reviewer_id"),
    ).values_list("project_id", "reviewer_id", "weighted_total")
    pairs = set(active.values_list("project_id", "reviewer_id"))
    totals: dict[int, list[Decimal]] = {}
    for project_id, reviewer_id, total in rows:
        if (project_id, reviewer_id) in pairs:
            totals.setdefault(project_id, []).append(total)
    ranked = Project.objects.filter(pk__in=totals).only("pk", "category_id", "money_saved", "status", "is_demo")
    projects = {p.pk: p for p in ranked}
    entries = []
    for project_id, values in totals.items():
        mean, spread, dropped, disagree = aggregate_totals(
            values, drop_from=campaign.drop_extremes_from, threshold=campaign.disagreement_threshold
        )
        entries.append(
            RankingEntry(
                project_id=project_id,
                phase=phase,
                reviews_count=len(values),
                dropped_extremes=dropped,
                mean=mean,
                spread=spread,
                disagreement=disagree,
                rank=0,
                is_demo=projects[project_id].is_demo,
            )
        )
    entries.sort(
        key=lambda e: (projects[e.project_id].category_id, -e.mean, -projects[e.project_id].money_saved, e.project_id)
    )
    category, rank = None, 0
    for entry in entries:
        cat = projects[entry.project_id].category_id
        rank = 1 if cat != category else rank + 1
        category = cat
        entry.rank = rank
    if not entries:
        # Never empty a ranking silently: with no submitted review nothing is replaced.
        raise ValidationError(_("还没有专家提交评分，排名没有变化：请等评审专家提交后再计算。"), code="nothing_to_rank")
    RankingEntry.objects.filter(project__campaign=campaign, phase=phase).delete()
    RankingEntry.objects.bulk_create(entries)
    # An interim ranking may be computed mid-review; a project counts as ranked only once every
    # reviewer still assigned to it has submitted.
    submitted = set(
        Review.objects.filter(project__campaign=campaign, phase=phase, status=Review.Status.SUBMITTED).values_list(
            "project_id", "reviewer_id"
        )
    )
    waiting = {pair[0] for pair in pairs if pair not in submitted}
    complete = [pk for pk in totals if pk not in waiting]
    Project.objects.filter(pk__in=complete, status=S.UNDER_REVIEW).update(status=S.RANKED)
    pages_changed()  # bulk writes send no signal; the project pages show status and ranking
    return len(entries)


@transaction.atomic
def decision_record(*, project: Project, level: str, by, note: str = "", recommend_upward: bool = False) -> Decision:
    """The committee's decision on a ranked project (refused while an objection to it is open)."""
    project = locked_project(project.pk)
    if project.status not in (S.RANKED, S.DECIDED, S.PUBLICITY):
        raise ValidationError(_("只有评审全部完成并已排名的项目可以评定：请等评审专家提交后重新计算排名。"))
    open_objections = project.objections.filter(resolved_at__isnull=True).count()
    if open_objections:
        raise ValidationError(
            _("该项目还有 %(n)s 条公示异议未处理，不能评定或授奖。") % {"n": open_objections}, code="objections_open"
        )
    if level not in AwardLevel.values:
        raise ValidationError(_("评定等级无效。"))
    decision, _created = Decision.objects.update_or_create(
        project=project,
        defaults={
            "level": level,
            "note": note,
            "recommend_upward": recommend_upward,
            "decided_by": by,
            "decided_on": timezone.localdate(),
        },
    )
    if project.status == S.RANKED:
        status_set(project, S.DECIDED, actor=by, note=decision.get_level_display())
    return decision


@transaction.atomic
def publicity_open(*, campaign: Campaign, by, starts: datetime.date | None = None) -> Publicity:
    """Make the proposed awards public for the campaign's publicity days."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if Publicity.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("本次活动已开始公示。"))
    proposed = Project.objects.filter(campaign=campaign, status=S.DECIDED).exclude(decision__level=AwardLevel.NONE)
    if not proposed.exists():
        raise ValidationError(_("还没有评定授奖的项目，不能开始公示。"))
    starts = starts or timezone.localdate()
    publicity = Publicity(
        campaign=campaign,
        starts=starts,
        ends=starts + datetime.timedelta(days=campaign.publicity_days - 1),
        opened_by=by,
    )
    publicity.full_clean()
    publicity.save()
    proposed.update(status=S.PUBLICITY)
    if campaign.phase in REVIEW_PHASES:
        Review.objects.filter(project__campaign=campaign).update(locked=True)
    campaign.phase = Phase.PUBLICITY
    campaign.save(update_fields=["phase", "updated_at"])
    return publicity


@transaction.atomic
def objection_file(*, project: Project, by, text: str) -> Objection:
    if not text.strip():
        raise ValidationError(_("请填写异议内容。"))
    project = locked_project(project.pk)
    publicity = Publicity.objects.filter(campaign=project.campaign).first()
    today = timezone.localdate()
    if project.status != S.PUBLICITY or publicity is None or not (publicity.starts <= today <= publicity.ends):
        raise ValidationError(_("该项目不在公示期内，不能提出异议。"))
    objection = Objection(publicity=publicity, project=project, filed_by=by, text=text.strip())
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, by, resolution: str, upheld: bool) -> Objection:
    """Resolve an objection with a reason; an upheld one takes the project out of the awards."""
    if not resolution.strip():
        raise ValidationError(_("请填写处理意见。"), code="resolution_required")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_at:
        raise ValidationError(_("该异议已处理。"))
    objection.resolution = resolution.strip()
    objection.upheld = upheld
    objection.resolved_at = timezone.now()
    objection.resolved_by = by
    objection.save()
    return objection


@transaction.atomic
def awards_publish(*, campaign: Campaign, by, today: datetime.date | None = None) -> list[Award]:
    """表彰发布: after the publicity ends and every objection is resolved, awards and their points are made."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    publicity = Publicity.objects.filter(campaign=campaign).first()
    if publicity is None or campaign.phase != Phase.PUBLICITY:
        raise ValidationError(_("请先完成公示。"))
    today = today or timezone.localdate()
    open_count = Objection.objects.filter(publicity=publicity, resolved_at__isnull=True).count()
    if open_count:
        raise ValidationError(
            _("还有 %(n)s 条公示异议未处理，不能发布表彰。") % {"n": open_count}, code="objections_open"
        )
    if today <= publicity.ends:
        raise ValidationError(_("公示期到 %(ends)s 结束，结束后才能发布表彰。") % {"ends": publicity.ends.isoformat()})
    upheld = set(Objection.objects.filter(publicity=publicity, upheld=True).values_list("project_id", flat=True))
    awards = []
    for project in Project.objects.filter(campaign=campaign, status=S.PUBLICITY).select_related("decision"):
        if project.pk in upheld:
            status_set(project, S.NOT_AWARDED, actor=by, note=_("公示异议成立"))
            continue
        award = Award(
            kind=Award.Kind.CITY,
            level=project.decision.level,
            year=campaign.year,
            issuer=_("市总工会"),
            project=project,
            entered_by=by,
            is_demo=project.is_demo,
        )
        award.full_clean()
        award.save()
        awards.append(award)
        status_set(project, S.AWARDED, actor=by, note=award.get_level_display())
        points_for_project(
            project=project, rule_code=AWARD_RULE_BY_LEVEL[award.level], by=by, source=f"award:{award.pk}"
        )
    for project in Project.objects.filter(campaign=campaign, status__in=[S.DECIDED, S.RANKED, S.UNDER_REVIEW]):
        status_set(project, S.NOT_AWARDED, actor=by)
    campaign.phase = Phase.PUBLISHED
    campaign.save(update_fields=["phase", "updated_at"])
    return awards


@transaction.atomic
def award_record_external(
    *,
    kind: str,
    year: int,
    by,
    project: Project | None = None,
    recipient=None,
    recipient_name: str = "",
    recipient_employer: str = "",
    level: str = "",
    issuer: str = "",
    certificate=None,
    is_demo: bool = False,
) -> Award:
    """An outside honour (Taizhou, province, national) entered by staff, with its certificate scan."""
    if kind == Award.Kind.CITY:
        raise ValidationError(_("市级奖项由表彰发布自动生成。"))
    if kind in Award.PERSON_KINDS and not (recipient_name or recipient):
        raise ValidationError(_("请填写获奖人。"))
    award = Award(
        kind=kind,
        level=level,
        year=year,
        issuer=issuer,
        project=project,
        recipient=recipient,
        recipient_name=recipient_name or (recipient.display_name if recipient else ""),
        recipient_employer=recipient_employer,
        entered_by=by,
        is_demo=is_demo,
    )
    if certificate is not None:
        award.certificate = checked_file(certificate)
    award.full_clean()
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError(_("该项目已录入过此奖项。"), code="duplicate_award") from None
    rule = EXTERNAL_RULES.get(kind)
    if rule and project is not None:
        points_for_project(project=project, rule_code=rule, by=by, source=f"award:{award.pk}")
    elif recipient is not None and kind in Award.PERSON_KINDS:
        points_award(
            person=recipient,
            rule_code="person_award",
            source=f"award:{award.pk}",
            year=year,
            reason=str(award),
            by=by,
            is_demo=award.is_demo,
        )
    return award


def open_objections_count(campaign: Campaign) -> int:
    return Objection.objects.filter(publicity__campaign=campaign, resolved_at__isnull=True).count()
