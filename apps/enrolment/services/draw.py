"""The reproducible draw: the published algorithm, the draw, telling people, the replay."""

from __future__ import annotations

import datetime
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reminders.outbox import enqueue
from apps.reminders.services import notify_all

from ..models import Enrolment, PriorityGroup, Roster
from .common import (
    State,
    _deliverable,
    _local,
    _locked,
    _people,
)


def draw_order(entries: list[tuple[int, int | None]], groups: list[tuple[int, object]], seed: str, places: int):
    """The published algorithm: who is drawn in which order (a pure function of its inputs).

    ``entries`` are (enrolment id, priority group id or None); ``groups`` are (group id, share)
    in their order. Each group's ids, sorted, are shuffled with ``random.Random(f"{seed}:{n}")``
    (n: the group's position, people in no group last). A group with a share first takes up to
    ``floor(share × places)`` places from the front of its shuffled list; then everyone not yet
    placed follows, groups in order, each in its shuffled order. Draw number = position + 1.
    """
    order = [group_id for group_id, _share in groups] + [None]
    members: dict = {group_id: [] for group_id in order}
    for enrolment_id, group_id in sorted(entries):
        members[group_id if group_id in members else None].append(enrolment_id)
    shuffled = {}
    for position, group_id in enumerate(order):
        ids = members[group_id]
        random.Random(f"{seed}:{position}").shuffle(ids)
        shuffled[group_id] = ids
    first, placed = [], set()
    shares = dict(groups)
    for group_id in order:
        share = shares.get(group_id)
        if share:
            quota = min(int(float(share) * places), places - len(first))
            for enrolment_id in shuffled[group_id][: max(quota, 0)]:
                first.append(enrolment_id)
                placed.add(enrolment_id)
    rest = [enrolment_id for group_id in order for enrolment_id in shuffled[group_id] if enrolment_id not in placed]
    return first + rest


def _draw_inputs(roster: Roster):
    entries = list(
        Enrolment.objects.filter(roster=roster)
        .filter(Q(state=State.APPLIED) | Q(draw_number__isnull=False))
        .values_list("pk", "priority_group_id")
    )
    groups = list(PriorityGroup.objects.filter(roster=roster).order_by("order", "pk").values_list("pk", "share"))
    return entries, groups


def draw_run(*, roster: Roster, seed: str = "", now=None) -> list[int]:
    """Draw a roster after its window closes: numbers for all, offers for the first ``places``.

    Those not drawn wait in draw order (a cancellation offers their place in turn).
    """
    now = now or timezone.now()
    with transaction.atomic():
        roster = _locked(roster.pk)
        if roster.allocation != Roster.Allocation.DRAW:
            raise ValidationError(_("该名单按先到先得分配，不需要抽签。"))
        if roster.drawn_at is not None:
            raise ValidationError(_("已于 %(when)s 抽签，不能重抽。") % {"when": _local(roster.drawn_at)})
        if roster.closes_at is None or now < roster.closes_at:
            raise ValidationError(_("报名尚未截止，不能抽签。"))
        seed = seed or secrets.token_hex(8)
        entries, groups = _draw_inputs(roster)
        order = draw_order(entries, groups, seed, roster.places)
        winners = order[: roster.places] if not roster.unlimited else order
        expires = _deliverable(now) + datetime.timedelta(hours=roster.hold_hours)
        _set_draw_numbers(order, now)
        Enrolment.objects.filter(pk__in=winners).update(
            state=State.OFFERED, offered_at=now, offer_expires_at=expires, updated_at=now
        )
        Enrolment.objects.filter(roster=roster, state=State.APPLIED).update(state=State.WAITING, updated_at=now)
        roster.draw_seed, roster.drawn_at = seed, now
        roster.applied, roster.taken, roster.waiting = 0, len(winners), len(order) - len(winners)
        roster.save(update_fields=["draw_seed", "drawn_at", "applied", "taken", "waiting", "updated_at"])
        # Telling thousands is a task of its own (written in this transaction, sent after it commits).
        enqueue("apps.enrolment.tasks.draw_notify_task", roster.pk)
    return order


def _set_draw_numbers(order: list[int], now) -> None:
    """Every entry's draw number, and its place in the waiting list in draw order (queued_at is
    the draw time plus the number in microseconds): one UPDATE per 5,000 rows on PostgreSQL."""
    chunk_size = 5000
    if connection.vendor != "postgresql":
        rows = [
            Enrolment(pk=pk, draw_number=n, queued_at=now + datetime.timedelta(microseconds=n))
            for n, pk in enumerate(order, start=1)
        ]
        Enrolment.objects.bulk_update(rows, ["draw_number", "queued_at"], batch_size=500)
        return
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(order), chunk_size):
            chunk = order[start : start + chunk_size]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for n, pk in enumerate(chunk, start=start + 1) for value in (pk, n)]
            cursor.execute(
                f"UPDATE {table} AS e SET draw_number = v.n, queued_at = %s + v.n * interval '1 microsecond' "
                f"FROM (VALUES {values}) AS v(id, n) WHERE e.id = v.id",
                [now, *params],
            )


def draw_notify(*, roster_id: int) -> int:
    """Tell everyone drawn their result: winners to confirm, the others their waiting place."""
    roster = Roster.objects.get(pk=roster_id)
    offered = Enrolment.objects.filter(roster=roster, state=State.OFFERED, draw_number__isnull=False)
    first = offered.order_by("offer_expires_at").values_list("offer_expires_at", flat=True).first()
    told = notify_all(
        _people(offered),
        kind="enrolment.offered",
        key=f"enrolment.draw:{roster.pk}",
        title=_("抽签中签，请确认：%(title)s") % {"title": roster.title},
        body=_("请在 %(when)s 前确认参加，逾期名额顺延。") % {"when": _local(first)} if first else "",
        url=roster.url,
    )
    return told + notify_all(
        _people(Enrolment.objects.filter(roster=roster, state=State.WAITING)),
        kind="enrolment.offered",
        key=f"enrolment.draw:{roster.pk}",
        title=_("抽签结果：%(title)s") % {"title": roster.title},
        body=_("本次未中签，您已按抽签序号进入候补，有名额空出时会通知您。"),
        url=roster.url,
    )


def draw_replay(*, roster: Roster) -> tuple[list[int], bool]:
    """Re-run a stored draw from its seed: (the order, whether it matches the stored numbers)."""
    entries, groups = _draw_inputs(roster)
    order = draw_order(entries, groups, roster.draw_seed, roster.places)
    stored = list(
        Enrolment.objects.filter(roster=roster, draw_number__isnull=False)
        .order_by("draw_number")
        .values_list("pk", flat=True)
    )
    return order, order == stored
