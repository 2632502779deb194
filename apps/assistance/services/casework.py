"""Carrying a case: 初审, 入户调查, 民政核对, 公示, decision, help given, yearly re-check, closing.

Every step checks who acts (the applicant's union staff, or an assistance officer), the state it
starts from, writes one timeline line and one audit line, and tells the applicant."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from ..models import SCHEME_STATES, AskedHelp, Band, Document, HelpRequest, HomeVisit, LedgerEntry, Objection
from .common import is_caseworker, is_officer, log, publicity_window
from .requests import document_add

State = HelpRequest.State
RECHECK_AFTER = datetime.timedelta(days=365)


def _locked(request: HelpRequest, *states) -> HelpRequest:
    found = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if states and found.state not in states:
        raise ValidationError(
            _("这份申请当前状态为“%(state)s”，不能办理这一步。") % {"state": found.get_state_display()}
        )
    return found


def _need_caseworker(user, request):
    if not is_caseworker(user, request):
        raise ValidationError(_("只有申请人所在工会的工作人员或帮扶中心可以办理。"))


def _need_officer(user):
    if not is_officer(user):
        raise ValidationError(_("只有市总工会帮扶中心可以办理这一步。"))


@transaction.atomic
def screen(*, request: HelpRequest, by, accept: bool, reason: str = "") -> HelpRequest:
    """初审: accept for a home visit, or return to the applicant with a reason."""
    request = _locked(request, State.SUBMITTED)
    _need_caseworker(by, request)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("退回时请写明原因，申请人会看到。")})
    request.screened_at = timezone.now()
    if accept:
        request.state = State.ACCEPTED
    else:
        request.state = State.RETURNED
        request.return_reason = reason[:300]
    request.save()
    log(request, actor=by, note=reason if not accept else _("初审通过，将安排入户调查。"))
    return request


@transaction.atomic
def visit_record(
    *, request: HelpRequest, by, visited_on, visitor_one, visitor_two, checklist, notes, application, authorisation
) -> HomeVisit:
    """入户调查: two visitors, a checklist, notes and the signed 申请书 and 核对授权书 (private files)."""
    request = _locked(request, State.ACCEPTED)
    _need_caseworker(by, request)
    errors = {}
    if visited_on is None or visited_on > timezone.localdate():
        errors["visited_on"] = _("入户日期不能晚于今天。")
    if not (visitor_one or "").strip() or not (visitor_two or "").strip():
        errors["visitor_two"] = _("入户调查须由两名工作人员共同完成，请填写两位调查人。")
    elif visitor_one.strip() == visitor_two.strip():
        errors["visitor_two"] = _("两位调查人不能是同一人。")
    if not (notes or "").strip():
        errors["notes"] = _("请填写调查记录。")
    if application is None:
        errors["application"] = _("请上传申请人签字的申请书。")
    if authorisation is None:
        errors["authorisation"] = _("请上传申请人签字的家庭经济状况核对授权书。")
    if errors:
        raise ValidationError(errors)
    keys = {key for key, _label in HomeVisit.CHECKLIST}
    try:
        document_add(user=by, request=request, kind=Document.Kind.APPLICATION, file=application)
    except ValidationError as exc:
        raise ValidationError({"application": exc.messages}) from None
    try:
        document_add(user=by, request=request, kind=Document.Kind.AUTHORISATION, file=authorisation)
    except ValidationError as exc:
        raise ValidationError({"authorisation": exc.messages}) from None
    visit = HomeVisit.objects.create(
        request=request,
        visited_on=visited_on,
        visitor_one=visitor_one.strip(),
        visitor_two=visitor_two.strip(),
        checklist=[key for key in checklist if key in keys],
        notes=notes.strip(),
        recorded_by=by,
        is_demo=request.is_demo,
    )
    request.state = State.VISITED
    request.save(update_fields=["state", "updated_at"])
    log(request, actor=by, note=_("已于 %(day)s 入户调查。") % {"day": visited_on.isoformat()})
    return visit


@transaction.atomic
def check_record(*, request: HelpRequest, by, result: str, note: str = "") -> HelpRequest:
    """民政核对: the result of the civil-affairs household check, entered by an officer."""
    _need_officer(by)
    request = _locked(request, State.VISITED)
    if result not in HelpRequest.CheckResult.values:
        raise ValidationError({"result": _("请选择核对结果。")})
    request.check_result, request.check_note = result, (note or "").strip()[:300]
    request.checked_at = timezone.now()
    request.state = State.CHECKED
    request.save()
    log(request, actor=by, note=request.get_check_result_display())
    return request


@transaction.atomic
def publicity_open(*, request: HelpRequest, by, band: str, help_kind: str, today=None) -> HelpRequest:
    """Open the 公示 for 5 working days with the proposed band and kind of help (shown masked)."""
    _need_officer(by)
    request = _locked(request, State.CHECKED)
    if request.check_result != HelpRequest.CheckResult.MATCH:
        raise ValidationError(_("民政核对结果不符，不能公示；请作出不予帮扶的决定。"))
    errors = {}
    if band not in Band.values:
        errors["band"] = _("请选择困难类别。")
    if help_kind not in AskedHelp.values:
        errors["help_kind"] = _("请选择帮扶方式。")
    if errors:
        raise ValidationError(errors)
    first, last = publicity_window(today or timezone.localdate())
    request.band, request.help_kind = band, help_kind
    request.publicity_from, request.publicity_until = first, last
    request.state = State.PUBLICITY
    request.save()
    log(
        request,
        actor=by,
        note=_("公示 %(first)s 至 %(last)s。") % {"first": first.isoformat(), "last": last.isoformat()},
    )
    return request


@transaction.atomic
def decide(*, request: HelpRequest, by, band: str, help_kind: str, amount, note: str = "", today=None):
    """认定: after the 公示 has run its 5 working days, the band and the help granted."""
    _need_officer(by)
    request = _locked(request, State.PUBLICITY)
    today = today or timezone.localdate()
    if request.publicity_until is None or today <= request.publicity_until:
        raise ValidationError(_("公示期至 %(day)s 结束，公示期满后才能作出决定。") % {"day": request.publicity_until})
    errors = {}
    if band not in Band.values:
        errors["band"] = _("请选择困难类别。")
    if help_kind not in AskedHelp.values:
        errors["help_kind"] = _("请选择帮扶方式。")
    if amount is not None and Decimal(amount) < 0:
        errors["amount"] = _("金额不能为负数。")
    if errors:
        raise ValidationError(errors)
    request.band, request.help_kind = band, help_kind
    request.help_amount = amount
    request.help_note = (note or "").strip()[:300]
    request.decided_at, request.decided_by = timezone.now(), by
    request.recheck_due_on = today + RECHECK_AFTER
    request.state = State.DECIDED
    request.save()
    log(request, actor=by, note=request.get_band_display(), action=AuditEntry.Action.DECIDE)
    return request


@transaction.atomic
def refuse(*, request: HelpRequest, by, reason: str) -> HelpRequest:
    """不予帮扶, with the reason the applicant reads (at any step after submission)."""
    _need_officer(by)
    request = _locked(request, State.SUBMITTED, State.ACCEPTED, State.VISITED, State.CHECKED, State.PUBLICITY)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明不予帮扶的原因，申请人会看到。")})
    request.refuse_reason = reason[:300]
    request.decided_at, request.decided_by = timezone.now(), by
    request.state = State.REFUSED
    request.save()
    log(request, actor=by, note=reason, action=AuditEntry.Action.DECIDE)
    return request


@transaction.atomic
def help_record(*, request: HelpRequest, by, date, kind: str, amount, description: str = "") -> LedgerEntry:
    """One payment or item given: a new ledger row (the first one makes the case 已发放帮扶)."""
    _need_officer(by)
    request = _locked(request, State.DECIDED, State.HELPED, State.FOLLOW_UP)
    errors = {}
    if kind not in LedgerEntry.Kind.values or kind == LedgerEntry.Kind.REVERSAL:
        errors["kind"] = _("请选择发放类型。")
    if amount is None or Decimal(amount) < 0:
        errors["amount"] = _("金额不能为负数；更正请登记冲正记录。")
    if date is None or date > timezone.localdate():
        errors["date"] = _("发放日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    entry = LedgerEntry.objects.create(
        request=request,
        date=date,
        kind=kind,
        amount=amount,
        description=(description or "").strip()[:200],
        entered_by=by,
        is_demo=request.is_demo,
    )
    if request.state == State.DECIDED:
        request.state = State.HELPED
        request.save(update_fields=["state", "updated_at"])
    log(
        request, actor=by, note=_("发放：%(kind)s %(amount)s 元") % {"kind": entry.get_kind_display(), "amount": amount}
    )
    return entry


@transaction.atomic
def help_reverse(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    """A correction: a new row with the opposite amount that names the row it reverses."""
    _need_officer(by)
    request = _locked(entry.request)
    if entry.kind == LedgerEntry.Kind.REVERSAL or LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("这笔记录已经冲正过或本身就是冲正记录。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明冲正原因。")})
    row = LedgerEntry.objects.create(
        request=request,
        date=timezone.localdate(),
        kind=LedgerEntry.Kind.REVERSAL,
        amount=-entry.amount,
        description=reason[:200],
        reverses=entry,
        entered_by=by,
        is_demo=request.is_demo,
    )
    log(request, actor=by, note=_("冲正 %(date)s 的记录：%(reason)s") % {"date": entry.date, "reason": reason})
    return row


@transaction.atomic
def recheck_record(*, request: HelpRequest, by, still_eligible: bool, note: str = "", today=None) -> HelpRequest:
    """年度复核: the family stays in the scheme (next re-check in a year) or leaves it (closed)."""
    request = _locked(request, *SCHEME_STATES)
    _need_caseworker(by, request)
    note = (note or "").strip()
    today = today or timezone.localdate()
    if still_eligible:
        request.recheck_due_on = today + RECHECK_AFTER
        request.state = State.FOLLOW_UP
        request.save()
        log(request, actor=by, note=note or _("年度复核：继续纳入帮扶。"))
        return request
    if not note:
        raise ValidationError({"note": _("退出帮扶时请写明原因。")})
    return _close(request, by=by, reason=note)


def _close(request, *, by, reason: str):
    request.state = State.CLOSED
    request.closed_at = timezone.now()
    request.close_reason = reason[:300]
    request.recheck_due_on = None
    request.save()
    log(request, actor=by, note=reason)
    return request


@transaction.atomic
def close(*, request: HelpRequest, by, reason: str) -> HelpRequest:
    """The family leaves the scheme (脱困, moved away …): the case closes."""
    _need_officer(by)
    request = _locked(request, State.DECIDED, State.HELPED, State.FOLLOW_UP, State.REFUSED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明结案原因。")})
    return _close(request, by=by, reason=reason)


@transaction.atomic
def objection_send(*, request: HelpRequest, by, text: str, contact: str = "", today=None) -> Objection:
    """An objection to an entry on the 公示 (signed-in people only; officers read it)."""
    if not getattr(by, "is_authenticated", False):
        raise ValidationError(_("请先登录再提出异议。"))
    today = today or timezone.localdate()
    if not HelpRequest.objects.in_publicity(today).filter(pk=request.pk).exists():
        raise ValidationError(_("这条公示已经结束或不存在，不能再提出异议。"))
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError({"text": _("请写明异议内容（至少 5 个字）。")})
    objection = Objection.objects.create(request=request, by=by, text=text[:2000], contact=(contact or "")[:40])
    audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=request, detail=_("公示异议"))
    return objection
