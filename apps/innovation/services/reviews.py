"""Expert review: assigning reviewers (by hand or automatically), recusals, scoring."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pagecache import pages_changed
from apps.reminders.outbox import enqueue

from ..models import (
    REVIEW_PHASES,
    Campaign,
    Phase,
    Project,
    RankingEntry,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    RubricCriterion,
    Score,
)
from .campaigns import phase_setting
from .transitions import event_log, locked_project

S = Project.Status


TWO = Decimal("0.01")


# --- Reviewers ----------------------------------------------------------------------------


def _reviewer_employer_id(reviewer) -> int | None:
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    return profile.employer_id if profile else reviewer.employer_id


@transaction.atomic
def assignment_create(*, project: Project, reviewer, by, phase: str | None = None, automatic=False) -> ReviewAssignment:
    """Assign one reviewer by hand; never one of the project's own employer."""
    project = locked_project(project.pk)
    phase = phase or (project.campaign.phase if project.campaign.phase in REVIEW_PHASES else Phase.EXPERT_REVIEW)
    if _reviewer_employer_id(reviewer) == project.employer_id:
        raise ValidationError(
            _("不能指派与项目同单位的评审专家（%(name)s）。") % {"name": reviewer}, code="same_employer"
        )
    if ReviewAssignment.objects.filter(project=project, reviewer=reviewer, phase=phase).exists():
        raise ValidationError(_("该专家已指派评审此项目。"), code="duplicate")
    assignment = ReviewAssignment(
        project=project,
        reviewer=reviewer,
        phase=phase,
        assigned_by=by,
        automatic=automatic,
        is_demo=project.is_demo,
    )
    assignment.full_clean()
    assignment.save()
    assignment_notify(assignment_id=assignment.pk)  # one person: told in this transaction
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
                    project=project,
                    reviewer_id=profile.user_id,
                    phase=phase,
                    assigned_by=by,
                    automatic=True,
                    is_demo=project.is_demo,
                )
            )
            load[profile.user_id] = load.get(profile.user_id, 0) + 1
            taken.setdefault(project.pk, set()).add(profile.user_id)
        if len(candidates) < need:
            short.append(project)
    ReviewAssignment.objects.bulk_create(created)
    from ..tasks import assignment_notify as task

    for assignment in created:  # a fan-out: through the outbox, sent after commit
        enqueue(task, assignment.pk)
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
    note = _("评审专家回避：%(reason)s") % {"reason": assignment.recusal_reason}
    event_log(assignment.project, reviewer, "", "", note)
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
    # Every criterion is checked before answering: the reviewer fixes them all in one round.
    errors: list[str] = []
    for criterion in criteria:
        if criterion.independent and criterion.option_list:
            option = str(options.get(criterion.pk, "") or "")
            if option and option not in criterion.option_list:
                errors.append(_("「%(name)s」的选项无效。") % {"name": criterion.name})
            elif submit and criterion.required and not option:
                errors.append(_("请为「%(name)s」选择一项。") % {"name": criterion.name})
            chosen[criterion.pk] = option
            values[criterion.pk] = None
            continue
        try:
            values[criterion.pk] = _parse_score(scores.get(criterion.pk), criterion)
        except ValidationError as exc:
            errors.extend(exc.messages)
            values[criterion.pk] = None
            continue
        if submit and criterion.required and values[criterion.pk] is None:
            errors.append(_("「%(name)s」为必评项，提交前请打分。") % {"name": criterion.name})
    if errors:
        raise ValidationError(errors, code="scores_invalid")
    total = weighted_total(criteria, values)
    if submit and total is None:
        raise ValidationError(_("至少需要一项计分的评分才能提交。"))
    if review is None:
        review = Review(
            project=assignment.project, reviewer=reviewer, phase=assignment.phase, is_demo=assignment.project.is_demo
        )
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
        Score(
            review=review,
            criterion_id=c.pk,
            value=values.get(c.pk),
            option=chosen.get(c.pk, ""),
            is_demo=review.is_demo,
        )
        for c in criteria
    )
    return review
