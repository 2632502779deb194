"""助企行 technical problems: posted by an enterprise, claimed, solved (confirmed by the enterprise) or dropped."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import user_holds

from ..models import TechProblem
from .points import points_award

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
    problem = TechProblem.objects.select_for_update().get(pk=problem.pk)
    if not user_holds(by, "enterprise_union") or by.employer_id != problem.enterprise_id:
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
            is_demo=problem.is_demo,
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
