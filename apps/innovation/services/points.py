"""The points ledger: append-only entries, team shares, reversals, the leaderboard consent."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import LeaderboardConsent, PointsEntry, PointsRule, Project

# --- Points ledger ------------------------------------------------------------------------


def points_award(
    *,
    person,
    rule_code: str,
    source: str,
    year: int,
    reason: str,
    by=None,
    points: int | None = None,
    is_demo: bool = False,
):
    """Append one entry; the (person, rule, source) constraint refuses a second award of the same thing.

    ``is_demo``: the entry is earned by an invented (demo) record, and is marked as one.
    """
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
        is_demo=is_demo,
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
                is_demo=project.is_demo,
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
            is_demo=visit.is_demo,
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
        is_demo=entry.is_demo,
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
