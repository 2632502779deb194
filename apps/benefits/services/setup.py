"""Setting a programme up: its roster, its service period, its priority groups and slots."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.enrolment import services as engine
from apps.enrolment.models import Occasion, PriorityGroup, Roster

from ..models import Programme, Rule, Slot
from ..rules import engine_key

ROSTER_FIELDS = ("places", "opens_at", "closes_at", "allocation", "hold_hours", "waiting_list")


def _period(programme: Programme) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(programme.service_starts, datetime.time(0, 0), tzinfo=tz)
    end = datetime.datetime.combine(programme.service_ends, datetime.time(23, 59), tzinfo=tz)
    return start, end


def priority_groups_sync(programme: Programme) -> None:
    """The engine's priority groups follow the programme's priority rules (same order and share)."""
    roster = programme.roster
    rules = list(programme.rules.filter(purpose=Rule.Purpose.PRIORITY).order_by("order", "pk"))
    keys = {engine_key(rule): rule for rule in rules}
    PriorityGroup.objects.filter(roster=roster).exclude(rule__in=keys).delete()
    existing = {group.rule: group for group in PriorityGroup.objects.filter(roster=roster)}
    for position, (key, rule) in enumerate(keys.items()):
        group = existing.get(key) or PriorityGroup(roster=roster, rule=key)
        group.order, group.name, group.share = position, (rule.name or str(rule))[:60], rule.share
        group.save()


def programme_save(*, programme: Programme, roster_fields: dict) -> Programme:
    """Create or change a programme with its roster (places, window, allocation) and service period."""
    opens, closes = roster_fields.get("opens_at"), roster_fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError({"closes_at": _("申请截止时间须晚于申请开始时间。")})
    if roster_fields.get("allocation") == Roster.Allocation.DRAW and not closes:
        raise ValidationError({"closes_at": _("抽签分配的项目须设申请截止时间（截止后抽签）。")})
    if programme.service_starts and programme.service_ends and programme.service_ends < programme.service_starts:
        raise ValidationError({"service_ends": _("服务结束日期不能早于开始日期。")})
    programme.full_clean(exclude=["roster", "occasion"])
    start, end = _period(programme)
    values = {name: roster_fields[name] for name in ROSTER_FIELDS if name in roster_fields}
    with transaction.atomic():
        programme.save()
        values.update(title=programme.name, url=programme.get_absolute_url(), is_open=programme.published)
        if programme.roster_id is None:
            programme.roster = engine.roster_create(owner=programme, **values)
            programme.occasion = engine.occasion_add(roster=programme.roster, starts_at=start, ends_at=end)
            programme.save(update_fields=["roster", "occasion", "updated_at"])
        else:
            Roster.objects.filter(pk=programme.roster_id).update(**values, updated_at=timezone.now())
            Occasion.objects.filter(pk=programme.occasion_id).update(starts_at=start, ends_at=end)
            programme.roster.refresh_from_db()
        priority_groups_sync(programme)
    return programme


def slot_add(*, programme: Programme, provider, day, starts, ends, places: int) -> Slot:
    if not programme.needs_appointment:
        raise ValidationError(_("该项目不需要预约时段。"))
    if not programme.service_starts <= day <= programme.service_ends:
        raise ValidationError({"day": _("预约日期须在服务期内。")})
    slot = Slot(programme=programme, provider=provider, day=day, starts=starts, ends=ends, places=places)
    slot.full_clean()
    slot.save()
    programme.providers.add(provider)
    return slot
