"""建会申请: an employer without a union asks; the town union takes it up by a due date."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Organization
from apps.reminders.outbox import enqueue

from ..models import UnionSetupRequest
from .common import due_from, may_decide_for, setup_days


def setup_town_union(town) -> Organization | None:
    unions = Organization.objects.filter(kind=Organization.Kind.UNION)
    found = unions.filter(union_level=Organization.UnionLevel.TOWN, town=town).order_by("pk").first()
    return found or unions.filter(union_level=Organization.UnionLevel.CITY).order_by("pk").first()


def setup_request_submit(*, by, employer_name: str, size, contact_name: str, contact_phone: str, town):
    """An employer's request goes to its town's union (the city union where the town has none)."""
    employer_name, contact_name = (employer_name or "").strip(), (contact_name or "").strip()
    contact_phone = (contact_phone or "").strip()
    errors = {}
    if not employer_name:
        errors["employer_name"] = _("请填写单位名称。")
    if size is None or size < 1:
        errors["size"] = _("请填写职工人数（至少 1 人）。")
    if not contact_name:
        errors["contact_name"] = _("请填写联系人。")
    if not contact_phone:
        errors["contact_phone"] = _("请填写联系电话。")
    if town is None:
        errors["town"] = _("请选择单位所在的乡镇/街道。")
    if errors:
        raise ValidationError(errors)
    covered = Organization.objects.filter(name=employer_name, covered_by__isnull=False).select_related("covered_by")
    if (employer := covered.first()) is not None:
        raise ValidationError(
            {
                "employer_name": _("“%(name)s”已由%(union)s覆盖，无需再申请建会。")
                % {"name": employer.name, "union": employer.covered_by.name}
            }
        )
    if UnionSetupRequest.objects.filter(employer_name=employer_name, state__in=UnionSetupRequest.OPEN_STATES).exists():
        raise ValidationError({"employer_name": _("该单位已有一份建会申请正在办理中。")})
    union = setup_town_union(town)
    if union is None:
        raise ValidationError(_("暂时没有可以受理的工会，请拨打 12351 职工服务热线咨询。"))
    now = timezone.now()
    request = UnionSetupRequest(
        employer_name=employer_name,
        size=size,
        contact_name=contact_name,
        contact_phone=contact_phone,
        town=town,
        town_union=union,
        requested_by=by,
        submitted_at=now,
        due_on=due_from(now, setup_days()),
    )
    request.full_clean(validate_constraints=False)
    with transaction.atomic():
        request.save()
        from ..tasks import setup_request_notify

        enqueue(setup_request_notify, request.pk)
    return request


def setup_request_notify(*, request_id: int) -> int:
    """Tell the town union's staff and the membership officers about a new 建会 request."""
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    request = UnionSetupRequest.objects.select_related("town_union").filter(pk=request_id).first()
    if request is None:
        return 0
    title = _("新的建会申请：%(name)s（%(size)s 人），请在 %(due)s 前受理") % {
        "name": request.employer_name,
        "size": request.size,
        "due": request.due_on,
    }
    told = 0
    # One key for both audiences: a person who is both is told once.
    for audience in (
        users_holding("union_staff", obj=request.town_union),
        users_holding("membership_officer", include_superusers=False),
    ):
        told += notify_all(
            audience,
            kind="membership.setup",
            key=f"membership.setup:{request.pk}",
            title=title,
            url=reverse("membership:setup_queue"),
        )
    return told


def setup_request_move(*, request_id: int, by, state: str, note: str = "") -> UnionSetupRequest:
    """Move a 建会 request on (受理指导 → 已建会 / 关闭); closing says why."""
    note = (note or "").strip()
    with transaction.atomic():
        request = UnionSetupRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or not may_decide_for(by, request.town_union_id):
            raise ValidationError(_("您不能办理这份建会申请。"))
        allowed = {
            UnionSetupRequest.State.SUBMITTED: {UnionSetupRequest.State.GUIDING, UnionSetupRequest.State.CLOSED},
            UnionSetupRequest.State.GUIDING: {UnionSetupRequest.State.ESTABLISHED, UnionSetupRequest.State.CLOSED},
        }.get(request.state, set())
        if state not in allowed:
            raise ValidationError(_("这份建会申请现在不能改为该状态。"))
        if state in (UnionSetupRequest.State.ESTABLISHED, UnionSetupRequest.State.CLOSED) and not note:
            raise ValidationError({"note": _("办结或关闭时请写明情况。")})
        request.state = state
        request.note = note[:300] or request.note
        request.handled_by, request.handled_at = by, timezone.now()
        request.save(update_fields=["state", "note", "handled_by", "handled_at", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=request, detail=f"{state}: {note}")
    return request


def setup_overdue_remind(*, today=None) -> int:
    """Daily: the town union's staff and the membership officers hear of 建会 requests past their
    deadline (once per request and day)."""
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    today = today or timezone.localdate()
    told = 0
    late = UnionSetupRequest.objects.filter(state__in=UnionSetupRequest.OPEN_STATES, due_on__lt=today)
    for request in late.select_related("town_union").order_by("due_on"):
        title = _("建会申请已超过受理期限（%(due)s）：%(name)s") % {
            "due": request.due_on,
            "name": request.employer_name,
        }
        for audience in (
            users_holding("union_staff", obj=request.town_union),
            users_holding("membership_officer", include_superusers=False),
        ):
            told += notify_all(
                audience,
                kind="membership.setup",
                key=f"membership.setup-overdue:{request.pk}:{today:%Y-%m-%d}",
                title=title,
                url=reverse("membership:setup_queue"),
            )
    return told
