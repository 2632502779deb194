"""Writes of the innovation app. Every rule lives here once; views, admin, tasks and demo call these."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pagecache import pages_changed
from apps.core.private_files import checked_file
from apps.reminders.outbox import enqueue

from .models import (
    PHASE_ORDER,
    REVIEW_PHASES,
    Attachment,
    Award,
    AwardLevel,
    Campaign,
    Decision,
    LeaderboardConsent,
    Objection,
    Phase,
    PhaseSetting,
    PointsEntry,
    PointsRule,
    Project,
    ProjectEvent,
    Publicity,
    RankingEntry,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    RubricCriterion,
    Score,
    TeamMember,
    TechProblem,
)

S = Project.Status
TWO = Decimal("0.01")

DEFAULT_RUBRIC = [
    ("创新性", 30, False, ""),
    ("实用性与推广价值", 25, False, ""),
    ("经济效益", 25, False, ""),
    ("技术难度", 20, False, ""),
    ("推荐泰州", 0, True, "是/可/否"),
]

# phase -> (reviewers write, scope, others' reviews, hide identity)
DEFAULT_PHASE_SETTINGS = {
    Phase.ENTRY: (False, "assigned", "never", False),
    Phase.ENDORSEMENT: (False, "assigned", "never", False),
    Phase.SCREENING: (False, "assigned", "never", False),
    Phase.EXPERT_REVIEW: (True, "assigned", "never", True),
    Phase.FINAL_REVIEW: (True, "assigned", "after_own", False),
    Phase.PUBLICITY: (False, "assigned", "always", False),
    Phase.PUBLISHED: (False, "assigned", "always", False),
}

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


def _log(project: Project, actor, from_status: str, to_status: str, note: str = "") -> None:
    ProjectEvent.objects.create(project=project, actor=actor, from_status=from_status, to_status=to_status, note=note)


def _set_status(project: Project, status: str, *, actor, note: str = "") -> None:
    old = project.status
    project.status = status
    project.save(update_fields=["status", "status_note", "submitted_at", "updated_at"])
    _log(project, actor, old, status, note)


def _locked_project(project_id: int) -> Project:
    return Project.objects.select_for_update().select_related("campaign").get(pk=project_id)


# --- Campaigns ----------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, year: int, name: str, entry_opens, entry_closes, categories=(), **fields) -> Campaign:
    """A campaign with the default phase settings and rubric (staff change them afterwards)."""
    campaign = Campaign(year=year, name=name, entry_opens=entry_opens, entry_closes=entry_closes, **fields)
    campaign.full_clean()
    campaign.save()
    campaign.categories.set(categories)
    PhaseSetting.objects.bulk_create(
        PhaseSetting(campaign=campaign, phase=phase, reviewers_write=w, scope=sc, others_reviews=o, hide_identity=h)
        for phase, (w, sc, o, h) in DEFAULT_PHASE_SETTINGS.items()
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            campaign=campaign, name=n, weight=wt, independent=ind, options=opts, required=not ind, sort_order=i
        )
        for i, (n, wt, ind, opts) in enumerate(DEFAULT_RUBRIC)
    )
    return campaign


def phase_setting(campaign: Campaign, phase: str | None = None) -> PhaseSetting:
    phase = phase or campaign.phase
    setting = PhaseSetting.objects.filter(campaign=campaign, phase=phase).first()
    if setting is None:
        w, sc, o, h = DEFAULT_PHASE_SETTINGS[phase]
        setting = PhaseSetting(
            campaign=campaign, phase=phase, reviewers_write=w, scope=sc, others_reviews=o, hide_identity=h
        )
    return setting


@transaction.atomic
def campaign_phase_advance(*, campaign: Campaign, by) -> Campaign:
    """Move to the next phase; reviews of a closing review phase are locked for good."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    index = PHASE_ORDER.index(campaign.phase)
    if index + 1 >= len(PHASE_ORDER):
        raise ValidationError(_("活动已在最后阶段。"))
    closing = campaign.phase
    following = PHASE_ORDER[index + 1]
    if following == Phase.PUBLICITY and not Publicity.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("请通过“开始公示”进入公示阶段。"))
    if following == Phase.PUBLISHED:
        raise ValidationError(_("请通过“发布表彰”完成表彰发布。"))
    if closing in REVIEW_PHASES:
        Review.objects.filter(project__campaign=campaign, phase=closing).update(locked=True)
    campaign.phase = following
    campaign.save(update_fields=["phase", "updated_at"])
    today = timezone.localdate()
    PhaseSetting.objects.filter(campaign=campaign, phase=closing).update(ends=today)
    PhaseSetting.objects.filter(campaign=campaign, phase=following).update(starts=today)
    if following == Phase.EXPERT_REVIEW:
        Project.objects.filter(campaign=campaign, status=S.SCREENED).update(status=S.UNDER_REVIEW)
    return campaign


# --- Declaration --------------------------------------------------------------------------


def _check_window(campaign: Campaign, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if not campaign.entry_open_on(today):
        raise ValidationError(
            _("申报时间为 %(opens)s 至 %(closes)s，当前不在申报期内，不能提交。")
            % {"opens": campaign.entry_opens.isoformat(), "closes": campaign.entry_closes.isoformat()},
            code="outside_window",
        )


def validate_team(members: list[dict]) -> None:
    """A team: at least one person, exactly one 第一完成人, shares of 1–100 totalling 100."""
    if not members:
        raise ValidationError(_("请至少填写一名完成人。"), code="team_empty")
    names = [m["name"].strip() for m in members]
    if len(set(names)) != len(names):
        raise ValidationError(_("完成人姓名不能重复。"), code="team_duplicate")
    firsts = sum(1 for m in members if m["role"] == TeamMember.Role.FIRST)
    if firsts != 1:
        raise ValidationError(_("必须有且只有一名第一完成人。"), code="team_first")
    total = sum(int(m["share"]) for m in members)
    if total != 100:
        raise ValidationError(
            _("完成人贡献份额合计必须为 100%%，现在是 %(total)s%%。") % {"total": total}, code="team_shares"
        )


@transaction.atomic
def project_draft_save(*, owner, project: Project | None = None, **fields) -> Project:
    """Create or update a draft (also a project returned for changes)."""
    if project is None:
        project = Project(owner=owner, status=S.DRAFT)
    elif project.owner_id != owner.pk:
        raise PermissionDenied
    elif project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    for name, value in fields.items():
        setattr(project, name, value)
    if (
        project.category_id
        and project.campaign_id
        and not project.campaign.categories.filter(pk=project.category_id).exists()
    ):
        raise ValidationError({"category": _("本次活动不接受该类别的申报。")})
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_team_set(*, project: Project, owner, members: list[dict]) -> list[TeamMember]:
    """Replace a draft's team; refused (nothing changed) unless shares total 100 and one first."""
    project = _locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    validate_team(members)
    project.team.all().delete()
    team = []
    for i, member in enumerate(members):
        row = TeamMember(
            project=project,
            name=member["name"].strip(),
            role=member["role"],
            share=int(member["share"]),
            user=member.get("user"),
            sort_order=i,
        )
        row.full_clean()
        team.append(row)
    return TeamMember.objects.bulk_create(team)


@transaction.atomic
def attachment_add(*, project: Project, owner, file, title: str, kind: str = Attachment.Kind.ATTACHMENT) -> Attachment:
    """Store a proof or attachment after checking its real content (not its name)."""
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    attachment = Attachment(project=project, kind=kind, title=title or _("附件"))
    attachment.file = checked_file(file)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def project_submit(*, project: Project, owner, today: datetime.date | None = None) -> Project:
    """Submit a complete draft within the entry window; the enterprise union is told."""
    project = _locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能重复提交。"), code="not_editable")
    _check_window(project.campaign, today)
    missing = [
        label
        for label, value in ((_("要解决的问题"), project.problem), (_("创新内容与解决方案"), project.solution))
        if not value.strip()
    ]
    if missing:
        raise ValidationError(_("请先填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)})
    validate_team(list(project.team.values("name", "role", "share")))
    back_to_officer = project.status == S.RETURNED_FOR_FIX
    project.submitted_at = timezone.now()
    project.status_note = ""
    _set_status(project, S.ENDORSED if back_to_officer else S.SUBMITTED, actor=owner)
    if not back_to_officer:
        transaction.on_commit(lambda: _endorsement_notify(project.pk))
    return project


def _endorsement_notify(project_id: int) -> None:
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    project = Project.objects.get(pk=project_id)
    notify_all(
        users_holding("enterprise_union", obj=project),
        kind="innovation.endorsement",
        key=f"innovation:endorse:{project.pk}:{project.submitted_at:%Y%m%d%H%M%S}",
        title=_("有创新项目等待单位推荐：%(title)s") % {"title": project.title},
        url=reverse("innovation:endorse_queue"),
    )


@transaction.atomic
def project_withdraw(*, project: Project, owner) -> Project:
    project = _locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status in (S.UNDER_REVIEW, S.RANKED, S.DECIDED, S.PUBLICITY, S.AWARDED, S.NOT_AWARDED, S.WITHDRAWN):
        raise ValidationError(_("评审开始后不能撤回。"))
    _set_status(project, S.WITHDRAWN, actor=owner)
    return project


def _check_enterprise_union(user, project: Project) -> None:
    from apps.accounts.roles import user_has_role

    if not user_has_role(user, "enterprise_union") or user.employer_id != project.employer_id:
        raise PermissionDenied


@transaction.atomic
def project_endorse(*, project: Project, by, note: str = "") -> Project:
    """The enterprise union recommends its worker's project; 申报 points are earned."""
    project = _locked_project(project.pk)
    _check_enterprise_union(by, project)
    if project.status != S.SUBMITTED:
        raise ValidationError(_("只有待单位推荐的项目可以推荐或退回。"))
    project.status_note = note
    _set_status(project, S.ENDORSED, actor=by, note=note)
    points_for_project(project=project, rule_code="declared", by=by)
    return project


@transaction.atomic
def project_return(*, project: Project, by, reason: str) -> Project:
    """The enterprise union (when submitted) or the officer (when endorsed) sends it back with a reason."""
    from apps.accounts.roles import user_has_role

    if not reason.strip():
        raise ValidationError(_("退回时请说明理由。"), code="reason_required")
    project = _locked_project(project.pk)
    if project.status == S.SUBMITTED:
        _check_enterprise_union(by, project)
        status = S.RETURNED
    elif project.status == S.ENDORSED:
        if not user_has_role(by, "innovation_officer"):
            raise PermissionDenied
        status = S.RETURNED_FOR_FIX
    else:
        raise ValidationError(_("该项目当前不能退回。"))
    project.status_note = reason.strip()
    _set_status(project, status, actor=by, note=reason.strip())
    if project.owner_id:
        from apps.reminders.services import notification_send

        transaction.on_commit(
            lambda: notification_send(
                user=project.owner,
                kind="innovation.returned",
                key=f"innovation:returned:{project.pk}:{timezone.now():%Y%m%d%H%M%S}",
                title=_("您的创新项目被退回修改：%(title)s") % {"title": project.title},
                body=reason,
                url=reverse("innovation:wizard", args=[project.pk, 1]),
            )
        )
    return project


@transaction.atomic
def project_screen(*, project: Project, by) -> Project:
    """The officer passes a project in 形式审查; 通过形式审查 points are earned."""
    project = _locked_project(project.pk)
    if project.status != S.ENDORSED:
        raise ValidationError(_("只有单位已推荐的项目可以通过形式审查。"))
    _set_status(project, S.SCREENED, actor=by)
    points_for_project(project=project, rule_code="screened", by=by)
    return project


# --- Reviewers ----------------------------------------------------------------------------


def _reviewer_employer_id(reviewer) -> int | None:
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    return profile.employer_id if profile else reviewer.employer_id


@transaction.atomic
def assignment_create(*, project: Project, reviewer, by, phase: str | None = None, automatic=False) -> ReviewAssignment:
    """Assign one reviewer by hand; never one of the project's own employer."""
    project = _locked_project(project.pk)
    phase = phase or (project.campaign.phase if project.campaign.phase in REVIEW_PHASES else Phase.EXPERT_REVIEW)
    if _reviewer_employer_id(reviewer) == project.employer_id:
        raise ValidationError(
            _("不能指派与项目同单位的评审专家（%(name)s）。") % {"name": reviewer}, code="same_employer"
        )
    if ReviewAssignment.objects.filter(project=project, reviewer=reviewer, phase=phase).exists():
        raise ValidationError(_("该专家已指派评审此项目。"), code="duplicate")
    assignment = ReviewAssignment(project=project, reviewer=reviewer, phase=phase, assigned_by=by, automatic=automatic)
    assignment.full_clean()
    assignment.save()
    from .tasks import assignment_notify as task

    enqueue(task, assignment.pk)  # the transactional outbox: sent after commit, kept if the broker is down
    return assignment


def assignment_notify(*, assignment_id: int) -> int:
    from apps.reminders.services import notify_all

    a = ReviewAssignment.objects.select_related("project").get(pk=assignment_id)
    return notify_all(
        [a.reviewer_id],
        kind="innovation.assignment",
        key=f"innovation:assigned:{a.pk}",
        title=_("新的创新项目评审任务"),
        body=_("请在评审截止前完成评分。"),
        url=reverse("innovation:review", args=[a.pk]),
    )


@transaction.atomic
def assignments_auto(*, campaign: Campaign, by, phase: str = Phase.EXPERT_REVIEW) -> dict:
    """Give every project in review at least N reviewers: never the same employer, specialty first, lightest load.

    The campaign row is locked, so two officers pressing the button at once assign once.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if phase == Phase.EXPERT_REVIEW:
        projects = list(
            Project.objects.filter(campaign=campaign, status__in=[S.SCREENED, S.UNDER_REVIEW]).order_by("pk")
        )
    else:
        # 复审/答辩 takes the top N of each category of the expert-review ranking (all ranked if N is 0).
        shortlisted = RankingEntry.objects.filter(project__campaign=campaign, phase=Phase.EXPERT_REVIEW)
        if campaign.shortlist_size:
            shortlisted = shortlisted.filter(rank__lte=campaign.shortlist_size)
        projects = list(Project.objects.filter(pk__in=shortlisted.values("project_id"), status=S.RANKED).order_by("pk"))
    profiles = list(
        ReviewerProfile.objects.filter(is_active=True).select_related("user").prefetch_related("specialties")
    )
    specialties = {p.user_id: {c.pk for c in p.specialties.all()} for p in profiles}
    existing = ReviewAssignment.objects.filter(project__campaign=campaign, phase=phase)
    load = dict(existing.filter(recused_at__isnull=True).values_list("reviewer").annotate(n=Count("pk")))
    taken: dict[int, set[int]] = {}
    active_count: dict[int, int] = {}
    for project_id, reviewer_id, recused in existing.values_list("project_id", "reviewer_id", "recused_at"):
        taken.setdefault(project_id, set()).add(reviewer_id)
        if recused is None:
            active_count[project_id] = active_count.get(project_id, 0) + 1
    created, short = [], []
    for project in projects:
        need = campaign.min_reviewers - active_count.get(project.pk, 0)
        if need <= 0:
            continue
        candidates = [
            p
            for p in profiles
            if p.employer_id != project.employer_id
            and p.user_id not in taken.get(project.pk, set())
            and load.get(p.user_id, 0) < p.max_load
        ]
        candidates.sort(
            key=lambda p: (project.category_id not in specialties[p.user_id], load.get(p.user_id, 0), p.user_id)
        )
        for profile in candidates[:need]:
            created.append(
                ReviewAssignment(
                    project=project, reviewer_id=profile.user_id, phase=phase, assigned_by=by, automatic=True
                )
            )
            load[profile.user_id] = load.get(profile.user_id, 0) + 1
            taken.setdefault(project.pk, set()).add(profile.user_id)
        if len(candidates) < need:
            short.append(project)
    ReviewAssignment.objects.bulk_create(created)
    ids = [a.pk for a in created]
    from .tasks import assignment_notify as task

    for pk in ids:
        enqueue(task, pk)
    if phase == Phase.EXPERT_REVIEW:
        Project.objects.filter(pk__in=[p.pk for p in projects], status=S.SCREENED).update(status=S.UNDER_REVIEW)
        pages_changed()  # a bulk update sends no signal; the project pages show the status
    return {"created": len(created), "short": short}


@transaction.atomic
def assignment_recuse(*, assignment: ReviewAssignment, reviewer, reason: str) -> ReviewAssignment:
    """A declared conflict: logged with its reason; the reviewer then sees no scores of that project."""
    if not reason.strip():
        raise ValidationError(_("回避时请说明理由。"), code="reason_required")
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDenied
    if assignment.is_recused:
        raise ValidationError(_("您已申请回避。"))
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = reason.strip()
    assignment.save(update_fields=["recused_at", "recusal_reason", "updated_at"])
    Review.objects.filter(project_id=assignment.project_id, reviewer=reviewer, phase=assignment.phase).delete()
    _log(assignment.project, reviewer, "", "", _("评审专家回避：%(reason)s") % {"reason": assignment.recusal_reason})
    return assignment


# --- Reviews ------------------------------------------------------------------------------


def weighted_total(criteria: list[RubricCriterion], values: dict[int, Decimal | None]) -> Decimal | None:
    """Weighted mean on the 0–10 scale of the scored, non-independent criteria (n/a left out)."""
    num = Decimal(0)
    den = 0
    for criterion in criteria:
        value = values.get(criterion.pk)
        if criterion.independent or value is None or criterion.weight == 0:
            continue
        num += Decimal(value) * criterion.weight
        den += criterion.weight
    if den == 0:
        return None
    return (num / den).quantize(TWO, rounding=ROUND_HALF_UP)


def _parse_score(raw, criterion: RubricCriterion) -> Decimal | None:
    if raw in (None, "", "na"):
        return None
    try:
        value = Decimal(str(raw))
    except Exception:
        raise ValidationError(
            _("「%(name)s」的评分必须是数字。") % {"name": criterion.name}, code="score_nan"
        ) from None
    if not value.is_finite() or value < 0 or value > 10:
        raise ValidationError(
            _("「%(name)s」的评分必须在 0 到 10 分之间。") % {"name": criterion.name}, code="score_range"
        )
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    reviewer,
    scores: dict,
    options: dict | None = None,
    private_comment: str = "",
    feedback: str = "",
    submit: bool = False,
) -> Review:
    """Save (or submit) a reviewer's scores; refused for others, after recusal, when locked or out of scale."""
    assignment = ReviewAssignment.objects.select_for_update().select_related("project__campaign").get(pk=assignment.pk)
    if assignment.reviewer_id != reviewer.pk:
        raise ValidationError(_("您未被指派评审该项目，不能评分。"), code="not_assigned")
    if assignment.is_recused:
        raise ValidationError(_("您已回避该项目，不能评分。"), code="recused")
    campaign = assignment.project.campaign
    review = Review.objects.filter(project=assignment.project, reviewer=reviewer, phase=assignment.phase).first()
    if (review and review.locked) or campaign.phase != assignment.phase or not phase_setting(campaign).reviewers_write:
        raise ValidationError(_("评审阶段已结束，评分已锁定，不能修改。"), code="locked")
    if review and review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("评审已提交，不能再修改。"), code="submitted")
    criteria = list(campaign.criteria.all())
    values: dict[int, Decimal | None] = {}
    chosen: dict[int, str] = {}
    options = options or {}
    for criterion in criteria:
        if criterion.independent and criterion.option_list:
            option = str(options.get(criterion.pk, "") or "")
            if option and option not in criterion.option_list:
                raise ValidationError(_("「%(name)s」的选项无效。") % {"name": criterion.name})
            if submit and criterion.required and not option:
                raise ValidationError(_("请为「%(name)s」选择一项。") % {"name": criterion.name})
            chosen[criterion.pk] = option
            values[criterion.pk] = None
            continue
        values[criterion.pk] = _parse_score(scores.get(criterion.pk), criterion)
        if submit and criterion.required and values[criterion.pk] is None:
            raise ValidationError(
                _("「%(name)s」为必评项，提交前请打分。") % {"name": criterion.name}, code="score_required"
            )
    total = weighted_total(criteria, values)
    if submit and total is None:
        raise ValidationError(_("至少需要一项计分的评分才能提交。"))
    if review is None:
        review = Review(project=assignment.project, reviewer=reviewer, phase=assignment.phase)
    review.private_comment = private_comment
    review.feedback = feedback
    review.weighted_total = total
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
    review.full_clean()
    review.save()
    review.scores.all().delete()
    Score.objects.bulk_create(
        Score(review=review, criterion_id=c.pk, value=values.get(c.pk), option=chosen.get(c.pk, "")) for c in criteria
    )
    return review


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
    projects = {
        p.pk: p for p in Project.objects.filter(pk__in=totals).only("pk", "category_id", "money_saved", "status")
    }
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
    project = _locked_project(project.pk)
    if project.status not in (S.RANKED, S.DECIDED, S.PUBLICITY):
        raise ValidationError(_("只有已排名的项目可以评定。"))
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
        _set_status(project, S.DECIDED, actor=by, note=decision.get_level_display())
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
    project = _locked_project(project.pk)
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
            _set_status(project, S.NOT_AWARDED, actor=by, note=_("公示异议成立"))
            continue
        award = Award(
            kind=Award.Kind.CITY,
            level=project.decision.level,
            year=campaign.year,
            issuer=_("市总工会"),
            project=project,
            entered_by=by,
        )
        award.full_clean()
        award.save()
        awards.append(award)
        _set_status(project, S.AWARDED, actor=by, note=award.get_level_display())
        points_for_project(
            project=project, rule_code=AWARD_RULE_BY_LEVEL[award.level], by=by, source=f"award:{award.pk}"
        )
    for project in Project.objects.filter(campaign=campaign, status__in=[S.DECIDED, S.RANKED, S.UNDER_REVIEW]):
        _set_status(project, S.NOT_AWARDED, actor=by)
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
            person=recipient, rule_code="person_award", source=f"award:{award.pk}", year=year, reason=str(award), by=by
        )
    return award


# --- Points ledger ------------------------------------------------------------------------


def points_award(*, person, rule_code: str, source: str, year: int, reason: str, by=None, points: int | None = None):
    """Append one entry; the (person, rule, source) constraint refuses a second award of the same thing."""
    rule = PointsRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None:
        return None
    entry = PointsEntry(
        person=person,
        rule=rule,
        points=rule.points if points is None else points,
        reason=reason[:200],
        source=source,
        year=year,
        created_by=by,
    )
    entry.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(_("这项积分已经发放过，不能重复发放。"), code="points_twice") from None
    return entry


def points_for_project(*, project: Project, rule_code: str, by=None, source: str | None = None) -> list[PointsEntry]:
    """Points of a project event for its team: whole to each, or split by share when the rule says so."""
    rule = PointsRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None:
        return []
    source = source or f"project:{project.pk}:{rule_code}"
    entries = []
    for member in project.team.filter(user__isnull=False).select_related("user"):
        points = rule.points
        if rule.split_by_share:
            points = int((Decimal(rule.points) * member.share / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if points == 0:
            continue
        reason = f"{rule.description}：{project.title}"
        entries.append(
            points_award(
                person=member.user,
                rule_code=rule_code,
                source=source,
                year=project.campaign.year,
                reason=reason,
                by=by,
                points=points,
            )
        )
    return entries


def training_points_award(*, visit, by=None) -> int:
    """Points for each registered worker who attended a visit's training, once per visit each."""
    awarded = 0
    for person in visit.trainees.all():
        already = PointsEntry.objects.filter(person=person, rule__code="training_attended", source=f"visit:{visit.pk}")
        if already.exists():
            continue
        entry = points_award(
            person=person,
            rule_code="training_attended",
            source=f"visit:{visit.pk}",
            year=visit.date.year,
            reason=f"{visit.topic}（{visit.date:%Y-%m-%d}）",
            by=by,
        )
        awarded += entry is not None
    return awarded


@transaction.atomic
def points_reverse(*, entry: PointsEntry, by, reason: str) -> PointsEntry:
    """Correct a ledger line by appending its opposite (the line itself never changes)."""
    if not reason.strip():
        raise ValidationError(_("冲正时请说明理由。"))
    if entry.reverses_id is not None:
        raise ValidationError(_("冲正记录不能再冲正。"))
    reversal = PointsEntry(
        person_id=entry.person_id,
        rule_id=entry.rule_id,
        points=-entry.points,
        reason=_("冲正：%(reason)s") % {"reason": reason.strip()},
        source=f"reversal:{entry.pk}",
        year=entry.year,
        reverses=entry,
        created_by=by,
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError:
        raise ValidationError(_("这条记录已经冲正过。"), code="reversed_twice") from None
    return reversal


def leaderboard_consent_set(*, user, show_name: bool) -> LeaderboardConsent:
    consent, _created = LeaderboardConsent.objects.update_or_create(user=user, defaults={"show_name": show_name})
    return consent


# --- 助企行 technical problems ------------------------------------------------------------


@transaction.atomic
def problem_post(*, enterprise, by, title: str, description: str = "") -> TechProblem:
    problem = TechProblem(
        enterprise=enterprise, posted_by=by, title=title, description=description, posted_on=timezone.localdate()
    )
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def problem_claim(*, problem: TechProblem, studio=None, worker=None) -> TechProblem:
    problem = TechProblem.objects.select_for_update().get(pk=problem.pk)
    if problem.status != TechProblem.Status.POSTED:
        raise ValidationError(_("该难题已被认领。"))
    if studio is None and worker is None:
        raise ValidationError(_("请选择认领的工作室或专家。"))
    problem.claimed_by_studio = studio
    problem.claimed_by_worker = worker
    problem.claimed_on = timezone.localdate()
    problem.status = TechProblem.Status.CLAIMED
    problem.save()
    return problem


@transaction.atomic
def problem_start(*, problem: TechProblem) -> TechProblem:
    problem = TechProblem.objects.select_for_update().get(pk=problem.pk)
    if problem.status != TechProblem.Status.CLAIMED:
        raise ValidationError(_("只有已认领的难题可以开始攻关。"))
    problem.status = TechProblem.Status.IN_PROGRESS
    problem.save()
    return problem


@transaction.atomic
def problem_confirm_solved(
    *, problem: TechProblem, by, outcome: str = "", on: datetime.date | None = None
) -> TechProblem:
    """Only the enterprise (its union) confirms a problem solved; the solver earns points."""
    from apps.accounts.roles import user_has_role

    problem = TechProblem.objects.select_for_update().get(pk=problem.pk)
    if not user_has_role(by, "enterprise_union") or by.employer_id != problem.enterprise_id:
        raise PermissionDenied
    if problem.status not in (TechProblem.Status.CLAIMED, TechProblem.Status.IN_PROGRESS):
        raise ValidationError(_("只有已认领或攻关中的难题可以确认解决。"))
    problem.status = TechProblem.Status.SOLVED
    problem.solved_on = on or timezone.localdate()
    problem.confirmed_by = by
    problem.outcome = outcome
    problem.full_clean()
    problem.save()
    solver = problem.claimed_by_worker or (problem.claimed_by_studio.leader if problem.claimed_by_studio else None)
    if solver is not None and solver.user_id:
        points_award(
            person=solver.user,
            rule_code="problem_solved",
            source=f"problem:{problem.pk}",
            year=problem.solved_on.year,
            reason=str(_("为企业解决技术难题：%(t)s") % {"t": problem.title}),
            by=by,
        )
    return problem


@transaction.atomic
def problem_drop(*, problem: TechProblem, reason: str) -> TechProblem:
    if not reason.strip():
        raise ValidationError(_("请说明终止原因。"))
    problem = TechProblem.objects.select_for_update().get(pk=problem.pk)
    if problem.status in (TechProblem.Status.SOLVED, TechProblem.Status.DROPPED):
        raise ValidationError(_("该难题已结束。"))
    problem.status = TechProblem.Status.DROPPED
    problem.outcome = reason.strip()
    problem.save()
    return problem


def open_objections_count(campaign: Campaign) -> int:
    return Objection.objects.filter(publicity__campaign=campaign, resolved_at__isnull=True).count()


# --- Reminders (each at most once: the natural key is the Notification's unique key) -------


def reminders_send(*, today: datetime.date | None = None) -> dict:
    """Daily: every innovation reminder that is due today; re-running sends nothing twice."""
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    from .models import Review, SpecialContract

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
