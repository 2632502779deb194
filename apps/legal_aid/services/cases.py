"""Dispute cases: intake, mediators, stage moves, sessions, performance and documents."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.core.private_files import checked_file

from ..models import CaseApplicant, CaseDocument, CaseEvent, CaseSession, DisputeCase
from ..selectors.access import cases_run_by
from .conflicts import conflict_check, require_cleared

Stage = DisputeCase.Stage

# The one place that says which stage may follow which.
CASE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.INTAKE: (Stage.MEDIATING, Stage.WITHDRAWN),
    Stage.MEDIATING: (Stage.SETTLED, Stage.FAILED, Stage.ARBITRATION, Stage.LITIGATION, Stage.WITHDRAWN),
    Stage.FAILED: (Stage.ARBITRATION, Stage.LITIGATION, Stage.CLOSED),
    Stage.SETTLED: (Stage.CLOSED,),
    Stage.ARBITRATION: (Stage.LITIGATION, Stage.CLOSED),
    Stage.LITIGATION: (Stage.CLOSED,),
    Stage.WITHDRAWN: (Stage.CLOSED,),
    Stage.CLOSED: (),
}


def _case_event(case, by, text) -> CaseEvent:
    audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=case, detail=text)
    return CaseEvent.objects.create(
        case=case, actor=by if getattr(by, "is_authenticated", False) else None, stage=case.stage, text=str(text)[:300]
    )


def case_open(
    *,
    station,
    applicants,
    respondent_name,
    topic,
    claim,
    arose_on,
    applied_on,
    by,
    amount_claimed=Decimal("0"),
    respondent=None,
    lawyer=None,
    mediators=(),
    source_consultation=None,
    is_new_form=False,
    is_demo=False,
) -> DisputeCase:
    """Take in a dispute; its number XHGH-TJ-YYYY-NNNN is the year's next (retried on a race)."""
    if not applicants:
        raise ValidationError(_("请至少填写一名申请人。"))
    if len(applicants) >= 10 and not any(a.get("is_representative") for a in applicants):
        raise ValidationError(_("十人以上的集体争议请推举代表。"))
    year = applied_on.year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                sequence = (DisputeCase.objects.filter(year=year).aggregate(n=Max("sequence"))["n"] or 0) + 1
                case = DisputeCase(
                    number=f"XHGH-TJ-{year}-{sequence:04d}",
                    year=year,
                    sequence=sequence,
                    station=station,
                    respondent_name=respondent_name,
                    respondent=respondent,
                    topic=topic,
                    claim=claim,
                    amount_claimed=amount_claimed,
                    lawyer=lawyer,
                    source_consultation=source_consultation,
                    is_new_form=is_new_form,
                    arose_on=arose_on,
                    applied_on=applied_on,
                    is_demo=is_demo,
                )
                case.full_clean(exclude=["number", "sequence"])
                case.save()
                for applicant in applicants:
                    CaseApplicant.objects.create(case=case, **applicant)
                if mediators:
                    case.mediators.set(mediators)
                _case_event(case, by, _("受理调解申请 %(number)s") % {"number": case.number})
                return case
        except IntegrityError:
            continue
    raise ValidationError(_("案件编号分配冲突，请重试。"))


def case_mediator_assign(*, case: DisputeCase, mediator, by, override_reason="") -> DisputeCase:
    """Conflict check, then add a mediator to the case."""
    check = conflict_check(
        person=mediator, employer_name=case.respondent_name, employer=case.respondent, by=by, case=case
    )
    with transaction.atomic():
        require_cleared(check, override_reason, mediator)
        case.mediators.add(mediator)
        text = _("指派调解员%(name)s") % {"name": mediator.display_name}
        if check.override_reason:
            text += _("（利益冲突强制指派：%(reason)s）") % {"reason": check.override_reason}
        _case_event(case, by, text)
    return case


def _can_run_case(case, by) -> bool:
    return cases_run_by(by).filter(pk=case.pk).exists()


def case_move(*, case: DisputeCase, to_stage: str, by, **data) -> DisputeCase:
    """Move a case to its next stage, with what that stage needs; every move goes on the timeline."""
    with transaction.atomic():
        case = DisputeCase.objects.select_for_update().get(pk=case.pk)
        if not _can_run_case(case, by):
            raise ValidationError(_("只有本案调解员或站点工作人员可以办理该案件。"))
        allowed = CASE_TRANSITIONS.get(case.stage, ())
        if to_stage not in allowed:
            raise ValidationError(
                {
                    "to_stage": _("案件当前处于“%(now)s”阶段，不能转到“%(to)s”。")
                    % {
                        "now": case.get_stage_display(),
                        "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
                    }
                }
            )
        today = timezone.localdate()
        errors = {}
        if to_stage == Stage.SETTLED:
            upload = data.get("agreement_file")
            if not upload:
                errors["agreement_file"] = _("调解成功须上传双方签字的调解协议书。")
            else:
                try:
                    case.agreement_file = checked_file(upload)
                except ValidationError as exc:
                    errors["agreement_file"] = exc.messages
            if data.get("amount_agreed") is None:
                errors["amount_agreed"] = _("请填写协议金额。")
            if not data.get("payment_due"):
                errors["payment_due"] = _("请填写约定履行日期。")
            case.amount_agreed = data.get("amount_agreed")
            case.payment_due = data.get("payment_due")
            case.settled_on = data.get("settled_on") or today
        elif to_stage == Stage.ARBITRATION:
            if not data.get("arbitration_commission"):
                errors["arbitration_commission"] = _("请填写仲裁委员会。")
            case.arbitration_commission = data.get("arbitration_commission", "")
            case.arbitration_date = data.get("arbitration_date") or today
        elif to_stage == Stage.LITIGATION:
            if not data.get("court"):
                errors["court"] = _("请填写受理法院。")
            case.court = data.get("court", "")
            case.court_case_number = data.get("court_case_number", "")
        elif to_stage == Stage.CLOSED:
            outcome = data.get("outcome")
            if outcome not in DisputeCase.Outcome.values:
                errors["outcome"] = _("结案须选择结案方式。")
            if data.get("amount_recovered") is None:
                errors["amount_recovered"] = _("请填写挽回金额（没有则填 0）。")
            case.outcome = outcome or ""
            case.amount_recovered = data.get("amount_recovered")
            case.closed_on = today
        if errors:
            raise ValidationError(errors)
        before = case.get_stage_display()
        case.stage = to_stage
        case.full_clean()
        case.save()
        text = _("阶段：%(before)s → %(after)s") % {"before": before, "after": case.get_stage_display()}
        note = (data.get("note") or "").strip()
        if to_stage == Stage.SETTLED:
            text += _("；协议金额 %(amount)s 元，履行期限 %(due)s") % {
                "amount": case.amount_agreed,
                "due": case.payment_due.strftime("%Y-%m-%d"),
            }
        elif to_stage == Stage.CLOSED:
            text += _("；%(outcome)s，挽回金额 %(amount)s 元") % {
                "outcome": case.get_outcome_display(),
                "amount": case.amount_recovered,
            }
        if note:
            text += f"；{note}"
        _case_event(case, by, text)
    return case


def case_session_add(*, case: DisputeCase, by, held_on, attendees: str, minutes: str) -> CaseSession:
    if case.stage != Stage.MEDIATING:
        raise ValidationError(_("只有调解中的案件可以登记调解记录。"))
    if not _can_run_case(case, by):
        raise ValidationError(_("只有本案调解员或站点工作人员可以办理该案件。"))
    with transaction.atomic():
        session = CaseSession(case=case, held_on=held_on, attendees=attendees, minutes=minutes, recorded_by=by)
        session.full_clean()
        session.save()
        _case_event(case, by, _("调解（%(date)s）：%(who)s") % {"date": held_on.strftime("%Y-%m-%d"), "who": attendees})
    return session


def case_performance_set(*, case: DisputeCase, by, performance: str) -> DisputeCase:
    if case.stage not in (Stage.SETTLED, Stage.CLOSED) or not case.payment_due:
        raise ValidationError(_("只有调解成功的案件需要登记履行情况。"))
    if performance not in DisputeCase.Performance.values:
        raise ValidationError({"performance": _("请选择履行情况。")})
    if not _can_run_case(case, by):
        raise ValidationError(_("只有本案调解员或站点工作人员可以办理该案件。"))
    with transaction.atomic():
        case.performance = performance
        case.save(update_fields=["performance", "updated_at"])
        _case_event(case, by, _("履行情况：%(p)s") % {"p": case.get_performance_display()})
    return case


def case_document_add(*, case: DisputeCase, by, title: str, upload) -> CaseDocument:
    if not _can_run_case(case, by):
        raise ValidationError(_("只有本案调解员或站点工作人员可以办理该案件。"))
    with transaction.atomic():
        doc = CaseDocument.objects.create(case=case, title=title, file=checked_file(upload), uploaded_by=by)
        _case_event(case, by, _("上传材料：%(title)s") % {"title": title})
    return doc
