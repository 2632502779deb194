"""会籍接转: the member names the new employer; the old union is told, the new union accepts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Organization
from apps.reminders.outbox import enqueue
from apps.reminders.services import notify_all

from ..models import LedgerEntry, Member, Transfer
from .common import decision_days, due_from, may_decide_for
from .routing import route_for

OPEN_ALREADY = _("您已有一份会籍接转申请正在办理中，请等待接收工会办理。")


def _tell_member(transfer: Transfer, *, key: str, title: str, body: str = "") -> None:
    if transfer.member.person_id is None:
        return
    notify_all(
        [transfer.member.person_id],
        kind="membership.transfer",
        key=f"membership.transfer:{transfer.pk}:{key}",
        title=title,
        body=body,
        url=reverse("membership:card"),
    )


def transfer_staff_notify(*, transfer_id: int) -> int:
    """Tell the new union's staff (to accept) and the old union's staff (for their records)."""
    from apps.accounts.roles import users_holding

    transfer = Transfer.objects.select_related("member", "from_union", "to_union").filter(pk=transfer_id).first()
    if transfer is None:
        return 0
    name = transfer.member.real_name
    told = notify_all(
        users_holding("union_staff", obj=transfer.to_union),
        kind="membership.queue",
        key=f"membership.transfer-in:{transfer.pk}",
        title=_("会籍接转待接收：%(name)s（来自%(union)s）") % {"name": name, "union": transfer.from_union.name},
        url=reverse("membership:queue"),
    )
    told += notify_all(
        users_holding("union_staff", obj=transfer.from_union),
        kind="membership.queue",
        key=f"membership.transfer-out:{transfer.pk}",
        title=_("会员%(name)s申请将会籍转至%(union)s") % {"name": name, "union": transfer.to_union.name},
        url=reverse("membership:members"),
    )
    return told


def transfer_request(*, member: Member, by, town, new_employer: Organization | None = None, new_employer_name=""):
    """The member asks to move to the union of their new employer (routed like an application)."""
    new_employer_name = (new_employer_name or "").strip()
    if member.person_id != getattr(by, "pk", None):
        raise ValidationError(_("只能为自己的会籍申请接转。"))
    if not member.is_current:
        raise ValidationError(_("您的会籍已结束，请重新申请入会。"))
    if Transfer.objects.filter(member=member, state=Transfer.State.REQUESTED).exists():
        raise ValidationError(OPEN_ALREADY)
    errors = {}
    if new_employer is None and not new_employer_name:
        errors["new_employer_name"] = _("请选择新的工作单位；列表里没有时，请填写单位名称。")
    if town is None:
        errors["town"] = _("请选择新单位所在的乡镇/街道。")
    if errors:
        raise ValidationError(errors)
    choice = route_for(employer=new_employer, occupation=member.occupation, town=town)
    if choice.union.pk == member.union_id:
        raise ValidationError(_("新单位仍由您现在所在的%(union)s受理，无需接转会籍。") % {"union": choice.union.name})
    now = timezone.now()
    transfer = Transfer(
        member=member,
        from_union_id=member.union_id,
        to_union=choice.union,
        new_employer=new_employer,
        new_employer_name="" if new_employer else new_employer_name,
        town=town,
        route=choice.route,
        route_reason=choice.reason,
        requested_at=now,
        due_on=due_from(now, decision_days()),
    )
    transfer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
            Member.objects.filter(pk=member.pk).update(state=Member.State.TRANSFERRED, updated_at=now)
            member.state = Member.State.TRANSFERRED
            _tell_member(
                transfer,
                key="requested",
                title=_("会籍接转申请已提交，待%(union)s接收") % {"union": choice.union.name},
                body=choice.reason,
            )
            from ..tasks import transfer_staff_notify as task

            enqueue(task, transfer.pk)
    except IntegrityError:
        raise ValidationError(OPEN_ALREADY) from None
    return transfer


def _locked_open(transfer_id: int, by) -> Transfer:
    transfer = Transfer.objects.select_for_update().filter(pk=transfer_id).first()
    if transfer is None or not may_decide_for(by, transfer.to_union_id):
        raise ValidationError(_("您不能办理这份接转申请。"))
    if transfer.state != Transfer.State.REQUESTED:
        raise ValidationError(_("这份接转申请已经办理（%(state)s）。") % {"state": transfer.get_state_display()})
    return transfer


def transfer_accept(*, transfer_id: int, by) -> Transfer:
    """The new union accepts: the member moves, the number stays, the ledger gets one row."""
    with transaction.atomic():
        transfer = _locked_open(transfer_id, by)
        member = Member.objects.select_for_update().get(pk=transfer.member_id)
        now = timezone.now()
        member.union_id = transfer.to_union_id
        member.employer = transfer.new_employer
        member.employer_name = transfer.new_employer_name
        member.town = transfer.town
        member.state = Member.State.ACTIVE
        member.save()
        LedgerEntry.objects.create(
            member=member,
            kind=LedgerEntry.Kind.TRANSFERRED,
            at=now,
            from_union_id=transfer.from_union_id,
            to_union_id=transfer.to_union_id,
            actor=by,
            transfer=transfer,
        )
        transfer.state = Transfer.State.ACCEPTED
        transfer.decided_at, transfer.decided_by = now, by
        transfer.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=transfer, detail="accepted")
        transfer.member = member
        _tell_member(
            transfer,
            key="accepted",
            title=_("会籍已转入%(union)s，会员编号不变") % {"union": transfer.to_union.name},
        )
    return transfer


def transfer_decline(*, transfer_id: int, by, reason: str) -> Transfer:
    """The new union does not take the member; the membership stays where it was."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明未接收的原因，会员会看到。")})
    with transaction.atomic():
        transfer = _locked_open(transfer_id, by)
        now = timezone.now()
        Member.objects.filter(pk=transfer.member_id).update(state=Member.State.ACTIVE, updated_at=now)
        transfer.state = Transfer.State.DECLINED
        transfer.decline_reason = reason[:300]
        transfer.decided_at, transfer.decided_by = now, by
        transfer.save(update_fields=["state", "decline_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=transfer, detail=f"declined: {reason}")
        _tell_member(transfer, key="declined", title=_("会籍接转未被接收"), body=reason)
    return transfer


def member_leave(*, member_id: int, by, reason: str) -> Member:
    """A membership ends (the member's union records it): the card stops verifying at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明退会原因。")})
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or not may_decide_for(by, member.union_id):
            raise ValidationError(_("您不能办理这名会员的会籍。"))
        if member.state == Member.State.LEFT:
            raise ValidationError(_("这名会员已经退会。"))
        if Transfer.objects.filter(member=member, state=Transfer.State.REQUESTED).exists():
            raise ValidationError(_("这名会员有一份会籍接转正在办理，请先办结接转。"))
        now = timezone.now()
        member.state, member.left_on = Member.State.LEFT, timezone.localdate()
        member.save(update_fields=["state", "left_on", "updated_at"])
        LedgerEntry.objects.create(
            member=member,
            kind=LedgerEntry.Kind.LEFT,
            at=now,
            from_union_id=member.union_id,
            actor=by,
            note=reason[:200],
        )
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=member, detail=f"left: {reason}")
    return member


def transfers_overdue_remind(*, today=None) -> int:
    """Daily: tell each receiving union's staff of its transfers past their deadline (once per union and day)."""
    from apps.accounts.roles import users_holding

    today = today or timezone.localdate()
    late = (
        Transfer.objects.filter(state=Transfer.State.REQUESTED, due_on__lt=today)
        .select_related("to_union", "member")
        .order_by("to_union_id", "due_on")
    )
    by_union: dict[int, list[Transfer]] = {}
    for transfer in late:
        by_union.setdefault(transfer.to_union_id, []).append(transfer)
    told = 0
    for transfers in by_union.values():
        union = transfers[0].to_union
        told += notify_all(
            users_holding("union_staff", obj=union),
            kind="membership.queue",
            key=f"membership.transfer-overdue:{union.pk}:{today:%Y-%m-%d}",
            title=_("%(union)s有 %(n)s 份会籍接转已超过办理期限") % {"union": union.name, "n": len(transfers)},
            body="、".join(t.member.real_name for t in transfers[:5]),
            url=reverse("membership:queue"),
        )
    return told
