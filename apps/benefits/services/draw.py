"""The allocation: previewed (with the seed it will use), then run through the engine's draw."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.enrolment import services as engine
from apps.enrolment import tasks as _engine_tasks  # noqa: F401 — registers the draw's notify task (eager runs)
from apps.enrolment.models import Enrolment, PriorityGroup, Roster

from ..models import Programme

State = Enrolment.State


@dataclass
class Preview:
    seed: str
    places: int
    entries: int
    # (group name, applicants, places given in this draw)
    groups: list[tuple[str, int, int]] = field(default_factory=list)
    first: list[str] = field(default_factory=list)  # the first references drawn


def _inputs(roster: Roster):
    entries = list(
        Enrolment.objects.filter(roster=roster, state=State.APPLIED).order_by().values_list("pk", "priority_group_id")
    )
    groups = list(PriorityGroup.objects.filter(roster=roster).order_by("order", "pk").values_list("pk", "share"))
    return entries, groups


def _ready(programme: Programme, now) -> Roster:
    roster = programme.roster
    if roster.allocation != Roster.Allocation.DRAW:
        raise ValidationError(_("该项目按先到先得分配，不需要抽签。"))
    if roster.drawn_at is not None:
        raise ValidationError(_("该项目已经分配过名额，不能重新分配。"), code="drawn")
    if roster.closes_at is None or now < roster.closes_at:
        raise ValidationError(_("申请尚未截止，不能分配名额。"), code="not_closed")
    return roster


def allocation_preview(*, programme: Programme, now=None) -> Preview:
    """What the run would give, with the seed it will use (kept on the programme)."""
    now = now or timezone.now()
    roster = _ready(programme, now)
    if not programme.pending_seed:
        programme.pending_seed = secrets.token_hex(8)
        Programme.objects.filter(pk=programme.pk, pending_seed="").update(pending_seed=programme.pending_seed)
        programme.refresh_from_db(fields=["pending_seed"])
    entries, groups = _inputs(roster)
    order = engine.draw_order(entries, groups, programme.pending_seed, roster.places)
    winners = set(order[: roster.places]) if roster.places else set(order)
    group_of = dict(entries)
    applicants, given = Counter(group_of.values()), Counter(group_of[pk] for pk in winners)
    names = dict(PriorityGroup.objects.filter(roster=roster).values_list("pk", "name"))
    rows = [(names[pk], applicants[pk], given[pk]) for pk, _share in groups]
    rows.append((_("其他申请人"), applicants[None], given[None]))
    from ..models import Application

    refs = dict(Application.objects.filter(enrolment_id__in=order[:10]).values_list("enrolment_id", "reference"))
    return Preview(
        seed=programme.pending_seed,
        places=roster.places,
        entries=len(entries),
        groups=rows,
        first=[refs.get(pk, "") for pk in order[:10]],
    )


def allocation_run(*, programme: Programme, by, now=None) -> list[int]:
    """Run the draw with the previewed seed; a second run (or a racing one) is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        programme = Programme.objects.select_for_update(of=("self",)).select_related("roster").get(pk=programme.pk)
        _ready(programme, now)
        if not programme.pending_seed:
            raise ValidationError(_("请先预览分配结果，再正式分配。"), code="no_preview")
        order = engine.draw_run(roster=programme.roster, seed=programme.pending_seed, now=now)
        # Applications are over: the engine's own day-before reminder (for the whole service
        # period) stays off; each person is reminded before their own slot (``appointments_tomorrow``).
        Roster.objects.filter(pk=programme.roster_id).update(is_open=False)
        audit_record(
            actor=by,
            action="decide",
            obj=programme,
            detail=f"allocation seed {programme.pending_seed}: {len(order)} entries, {programme.roster.places} places",
        )
    return order
