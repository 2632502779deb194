"""Every rule of legal aid: writes go through these functions (admin and public views alike)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.private_files import checked_file
from apps.reminders.services import notification_send, notify_all

from .models import (
    OPEN_STATES,
    Attachment,
    AuditLog,
    CallbackAttempt,
    CaseApplicant,
    CaseDocument,
    CaseEvent,
    CaseSession,
    ConflictCheck,
    Consultation,
    DisputeCase,
    DutyShift,
    LawyerProfile,
    LedgerEntry,
    LegalEvent,
    LegalStation,
    Registration,
    RotaTemplate,
    ShiftSwap,
    StationMember,
)

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


def response_days() -> int:
    return int(getattr(settings, "LEGAL_AID_RESPONSE_WORKING_DAYS", 2))


def retention_days() -> int:
    """How long closed consultations and cases are kept (a setting; three years by default)."""
    return int(getattr(settings, "LEGAL_AID_RETENTION_DAYS", 3 * 365))


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The moment ``days`` working days (Mon–Fri) later, at the same time of day."""
    local = timezone.localtime(moment)
    added = 0
    while added < days:
        local += datetime.timedelta(days=1)
        if local.weekday() < 5:
            added += 1
    return local


def audit(*, actor, action: str, consultation=None, case=None, detail: str = "") -> AuditLog:
    """Append one line to the audit log."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        consultation=consultation,
        case=case,
        detail=str(detail)[:300],
    )


def _staff_of(station) -> list[int]:
    return list(StationMember.objects.current().filter(station=station).values_list("user_id", flat=True))


def _officers():
    from apps.accounts.roles import users_holding

    return users_holding("legal_officer", include_superusers=False)


# --- Stations ------------------------------------------------------------------------------


def station_save(*, station: LegalStation) -> LegalStation:
    """Validate and save a station (one grassroots station per town, reason when not open)."""
    station.full_clean()
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError:
        raise ValidationError(
            {"town": _("%(town)s已有基层工会法律服务站，每个乡镇/街道只能建一个。") % {"town": station.town}}
        ) from None
    return station


# --- Roster --------------------------------------------------------------------------------


def _overlapping(lawyer, date, start, end, exclude_pk=None):
    qs = DutyShift.objects.filter(lawyer=lawyer, date=date, start__lt=end, end__gt=start).exclude(
        status__in=[DutyShift.Status.SWAPPED, DutyShift.Status.MISSED]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _check_shift(*, lawyer, station, date, start, end, exclude_pk=None) -> None:
    if not lawyer.stations.filter(pk=station.pk).exists():
        raise ValidationError(
            _("%(lawyer)s不在%(station)s服务，不能在该站排班。") % {"lawyer": lawyer, "station": station}
        )
    clash = _overlapping(lawyer, date, start, end, exclude_pk)
    if clash:
        raise ValidationError(
            _("%(lawyer)s在%(date)s %(start)s–%(end)s已有值班（%(station)s），时间重叠。")
            % {
                "lawyer": lawyer,
                "date": date.strftime("%Y-%m-%d"),
                "start": clash.start.strftime("%H:%M"),
                "end": clash.end.strftime("%H:%M"),
                "station": clash.station,
            }
        )


def shift_create(
    *, station, lawyer, date, start, end, mode="on_site", slots=4, template=None, is_demo=False
) -> DutyShift:
    """Roster a lawyer: only at a station they serve, never overlapping another of their shifts."""
    with transaction.atomic():
        LawyerProfile.objects.select_for_update().get(pk=lawyer.pk)  # serialise one lawyer's rostering
        _check_shift(lawyer=lawyer, station=station, date=date, start=start, end=end)
        shift = DutyShift(
            station=station,
            lawyer=lawyer,
            date=date,
            start=start,
            end=end,
            mode=mode,
            slots=slots,
            template=template,
            is_demo=is_demo,
        )
        shift.full_clean()
        shift.save()
    return shift


def rota_generate(*, template: RotaTemplate, until: datetime.date, since: datetime.date | None = None) -> dict:
    """Make the template's shifts up to ``until``; dates already covered or clashing are skipped."""
    day = max(since or template.valid_from, template.valid_from)
    last = min(until, template.valid_to) if template.valid_to else until
    while day.weekday() != template.weekday:
        day += datetime.timedelta(days=1)
    made, skipped = 0, []
    while day <= last:
        try:
            shift_create(
                station=template.station,
                lawyer=template.lawyer,
                date=day,
                start=template.start,
                end=template.end,
                mode=template.mode,
                slots=template.slots,
                template=template,
            )
            made += 1
        except ValidationError as exc:
            skipped.append((day, exc.messages[0]))
        day += datetime.timedelta(days=7)
    return {"made": made, "skipped": skipped}


def shift_confirm(*, shift: DutyShift, by) -> DutyShift:
    if shift.lawyer.user_id != by.pk:
        raise ValidationError(_("只能确认自己的值班。"))
    if shift.status != DutyShift.Status.SCHEDULED:
        raise ValidationError(_("该值班不是待确认状态。"))
    shift.status = DutyShift.Status.CONFIRMED
    shift.save(update_fields=["status", "updated_at"])
    return shift


def swap_request(*, shift: DutyShift, to_lawyer: LawyerProfile, by) -> ShiftSwap:
    """A lawyer asks a colleague to take a shift; the colleague must be free and serve the station."""
    if shift.lawyer.user_id != by.pk:
        raise ValidationError(_("只能为自己的值班申请换班。"))
    if not shift.active or shift.date < timezone.localdate():
        raise ValidationError(_("该值班已结束或不可换班。"))
    _check_shift(lawyer=to_lawyer, station=shift.station, date=shift.date, start=shift.start, end=shift.end)
    try:
        with transaction.atomic():
            return ShiftSwap.objects.create(shift=shift, to_lawyer=to_lawyer)
    except IntegrityError:
        raise ValidationError(_("该值班已有待处理的换班申请。")) from None


def swap_accept(*, swap: ShiftSwap, by) -> ShiftSwap:
    if swap.to_lawyer.user_id != by.pk or swap.status != ShiftSwap.Status.REQUESTED:
        raise ValidationError(_("只有被邀请的律师可以接受换班。"))
    swap.status = ShiftSwap.Status.ACCEPTED
    swap.save(update_fields=["status", "updated_at"])
    return swap


def swap_approve(*, swap: ShiftSwap, by) -> DutyShift:
    """Staff approve: the old shift is marked swapped and the colleague gets a new one."""
    if swap.status != ShiftSwap.Status.ACCEPTED:
        raise ValidationError(_("对方律师接受后才能审批换班。"))
    with transaction.atomic():
        old = DutyShift.objects.select_for_update().get(pk=swap.shift_id)
        old.status = DutyShift.Status.SWAPPED
        old.save(update_fields=["status", "updated_at"])
        new = shift_create(
            station=old.station,
            lawyer=swap.to_lawyer,
            date=old.date,
            start=old.start,
            end=old.end,
            mode=old.mode,
            slots=old.slots,
        )
        old.bookings.update(shift=new, lawyer=swap.to_lawyer)
        swap.status = ShiftSwap.Status.APPROVED
        swap.decided_by = by
        swap.save(update_fields=["status", "decided_by", "updated_at"])
    return new


# --- Consultations -------------------------------------------------------------------------


def consultation_submit(
    *,
    worker,
    station: LegalStation,
    topic: str,
    question: str,
    channel: str,
    consent: bool,
    contact_name: str,
    contact_phone: str,
    employer_name: str = "",
    town=None,
    shift: DutyShift | None = None,
    callback_from=None,
    callback_to=None,
    is_new_form: bool = False,
    health_consent: bool = False,
    attachments=(),
    recorded_by=None,
) -> Consultation:
    """A worker (or staff for a walk-in or call) asks a question; nothing is kept without consent."""
    now = timezone.now()
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意《个人信息保护告知》后再提交咨询。")})
    files = []
    for kind, upload in attachments:
        try:
            files.append((kind, checked_file(upload)))
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
    if any(kind == Attachment.Kind.APPRAISAL for kind, _f in files) and not health_consent:
        raise ValidationError(
            {"health_consent": _("伤残鉴定等材料属于敏感个人信息（健康信息），请单独勾选同意后再上传。")}
        )
    if station.status != LegalStation.Status.OPEN:
        raise ValidationError({"station": _("该服务站目前不接受咨询，请选择其他服务站。")})
    with transaction.atomic():
        consultation = Consultation(
            worker=worker if getattr(worker, "is_authenticated", False) else None,
            contact_name=contact_name,
            contact_phone=contact_phone,
            recorded_by=recorded_by,
            station=station,
            topic=topic,
            employer_name=employer_name,
            town=town or station.town,
            question=question,
            channel=channel,
            is_new_form=is_new_form,
            consent_at=now,
            health_consent_at=now if health_consent else None,
            due_at=add_working_days(now, response_days()),
        )
        if channel == Consultation.Channel.SLOT:
            if shift is None:
                raise ValidationError({"shift": _("请选择预约的值班时段。")})
            locked = DutyShift.objects.select_for_update(of=("self",)).select_related("lawyer").get(pk=shift.pk)
            if not locked.active or locked.starts_at <= now:
                raise ValidationError({"shift": _("该值班时段已过或已取消，请选择其他时段。")})
            if locked.station_id != station.pk:
                raise ValidationError({"shift": _("所选时段不属于该服务站。")})
            taken = locked.bookings.exclude(status=Consultation.Status.CANCELLED).count()
            if taken >= locked.slots:
                raise ValidationError({"shift": _("该值班时段已约满，请选择其他时段。")})
            consultation.shift = locked
            consultation.lawyer = locked.lawyer
            consultation.status = Consultation.Status.SCHEDULED
            consultation.assigned_at = now
        elif channel == Consultation.Channel.CALLBACK:
            if not callback_from or not callback_to or callback_from >= callback_to:
                raise ValidationError({"callback_from": _("请填写方便接电话的时间段（开始早于结束）。")})
            if callback_to <= now:
                raise ValidationError({"callback_from": _("方便接电话的时间不能早于现在。")})
            consultation.callback_from, consultation.callback_to = callback_from, callback_to
        consultation.full_clean()
        consultation.save()
        for kind, upload in files:
            Attachment.objects.create(
                consultation=consultation, kind=kind, file=upload, uploaded_by=recorded_by or worker
            )
        audit(
            actor=recorded_by or worker, action=AuditLog.Action.CREATE, consultation=consultation, detail=_("提交咨询")
        )
    if consultation.lawyer_id:
        _tell_lawyer_assigned(consultation)
    return consultation


def _tell_lawyer_assigned(consultation: Consultation) -> None:
    notification_send(
        user=consultation.lawyer.user,
        kind="legal_aid.assigned",
        key=f"legal_aid:assigned:{consultation.pk}:{consultation.lawyer_id}",
        title=_("新的法律咨询分派给您（%(topic)s）") % {"topic": consultation.get_topic_display()},
        url=consultation.get_absolute_url(),
    )


def conflict_check(*, person, employer_name: str, employer=None, by, consultation=None, case=None) -> ConflictCheck:
    """Compare the other side with the person's own employer and the clients of their law firm; record it."""
    names = {n.strip() for n in (employer_name, getattr(employer, "name", "")) if n and n.strip()}
    reason = ""
    own = getattr(person, "employer", None)
    if own is not None and (own.name in names or own.short_name in names or (employer and own.pk == employer.pk)):
        reason = _("本人在对方单位任职")
    profile = LawyerProfile.objects.filter(user=person).first()
    if not reason and profile is not None:
        advised = profile.advised_employers.filter(
            Q(name__in=names) | Q(short_name__in=names) | Q(pk=getattr(employer, "pk", None))
        )
        if advised.exists():
            reason = _("所在律所%(firm)s担任对方单位法律顾问") % {"firm": profile.firm}
    return ConflictCheck.objects.create(
        consultation=consultation,
        case=case,
        person=person,
        employer_name=", ".join(sorted(names))[:120],
        cleared=not reason,
        reason=reason,
        checked_by=by,
    )


def _require_cleared(check: ConflictCheck, override_reason: str, person) -> None:
    if check.cleared:
        return
    if not (override_reason or "").strip():
        raise ValidationError(
            _("%(person)s未通过利益冲突审查（%(reason)s），不能指派。如确需指派，请填写书面理由。")
            % {"person": person.display_name, "reason": check.reason}
        )
    check.override_reason = override_reason.strip()
    check.save(update_fields=["override_reason", "updated_at"])


def consultation_assign(*, consultation: Consultation, lawyer: LawyerProfile, by, override_reason="") -> Consultation:
    """Triage: conflict check, then give the consultation to a lawyer."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_open:
            raise ValidationError(_("该咨询已结束，不能再分派。"))
        check = conflict_check(
            person=lawyer.user,
            employer_name=consultation.employer_name,
            employer=consultation.employer,
            by=by,
            consultation=consultation,
        )
    # The check is recorded even when the assignment is refused.
    with transaction.atomic():
        _require_cleared(check, override_reason, lawyer.user)
        consultation.lawyer = lawyer
        consultation.assigned_at = timezone.now()
        if consultation.status == Consultation.Status.SUBMITTED:
            consultation.status = Consultation.Status.TRIAGED
        consultation.save(update_fields=["lawyer", "assigned_at", "status", "updated_at"])
        detail = _("分派给%(lawyer)s") % {"lawyer": lawyer}
        if check.override_reason:
            detail += _("（利益冲突强制指派：%(reason)s）") % {"reason": check.override_reason}
        audit(actor=by, action=AuditLog.Action.CHANGE, consultation=consultation, detail=detail)
    _tell_lawyer_assigned(consultation)
    return consultation


def _require_handler(consultation: Consultation, by) -> None:
    if by.is_superuser or by.has_perm("legal_aid.view_private_records"):
        return
    if consultation.lawyer_id and consultation.lawyer.user_id == by.pk:
        return
    raise ValidationError(_("只有承办律师可以处理该咨询。"))


def callback_log(*, consultation: Consultation, by, reached: bool, note: str = "") -> CallbackAttempt:
    """Log a call; the third failed call closes the consultation as unreachable and no fourth is taken."""
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",)).select_related("lawyer").get(pk=consultation.pk)
        )
        _require_handler(consultation, by)
        if consultation.status == Consultation.Status.UNREACHABLE:
            raise ValidationError(_("已 3 次回拨未接通，该咨询已按“无法联系”办结，不能再登记回拨。"))
        if not consultation.is_open:
            raise ValidationError(_("该咨询已结束，不能再登记回拨。"))
        number = (consultation.callbacks.aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = CallbackAttempt.objects.create(
            consultation=consultation, number=number, reached=reached, note=note, by=by
        )
        now = timezone.now()
        fields = ["updated_at"]
        if consultation.first_response_at is None:
            consultation.first_response_at = now
            fields.append("first_response_at")
        failed = consultation.callbacks.filter(reached=False).count()
        if not reached and failed >= CallbackAttempt.MAX_FAILED:
            consultation.status = Consultation.Status.UNREACHABLE
            consultation.outcome = Consultation.Outcome.UNREACHABLE
            consultation.closed_at = now
            fields += ["status", "outcome", "closed_at"]
        consultation.save(update_fields=fields)
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            consultation=consultation,
            detail=_("第%(n)s次回拨：%(result)s") % {"n": number, "result": _("已接通") if reached else _("未接通")},
        )
    return attempt


def ledger_add_for_consultation(consultation: Consultation) -> LedgerEntry:
    """The ledger row of an answered consultation, made once (the one-to-one field guarantees it)."""
    existing = LedgerEntry.objects.filter(consultation=consultation).first()
    if existing:
        return existing
    channel = (
        LedgerEntry.Channel.VISIT if consultation.channel == Consultation.Channel.SLOT else LedgerEntry.Channel.PHONE
    )
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                station_id=consultation.station_id,
                date=timezone.localdate(consultation.answered_at or timezone.now()),
                channel=channel,
                topic=consultation.topic,
                people=1,
                new_form_people=1 if consultation.is_new_form else 0,
                consultation=consultation,
                is_demo=consultation.is_demo,
            )
    except IntegrityError:
        return LedgerEntry.objects.get(consultation=consultation)


def consultation_answer(*, consultation: Consultation, by, answer: str) -> Consultation:
    """The lawyer's answer; the service ledger gets its row automatically."""
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写答复意见。")})
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",)).select_related("lawyer").get(pk=consultation.pk)
        )
        _require_handler(consultation, by)
        if not consultation.is_open:
            raise ValidationError(_("该咨询已结束，不能再答复。"))
        now = timezone.now()
        consultation.answer = answer.strip()
        consultation.answered_at = now
        consultation.first_response_at = consultation.first_response_at or now
        consultation.status = Consultation.Status.ANSWERED
        consultation.save(update_fields=["answer", "answered_at", "first_response_at", "status", "updated_at"])
        ledger_add_for_consultation(consultation)
        audit(actor=by, action=AuditLog.Action.CHANGE, consultation=consultation, detail=_("答复咨询"))
    if consultation.worker_id:
        notification_send(
            user=consultation.worker,
            kind="legal_aid.answered",
            key=f"legal_aid:answered:{consultation.pk}",
            title=_("您的法律咨询已答复"),
            url=consultation.get_absolute_url(),
        )
    return consultation


def consultation_close(
    *, consultation: Consultation, by, outcome: str, case_station=None, amount_claimed=Decimal("0")
) -> Consultation:
    """Close with an outcome; “转调解” opens a dispute case from the consultation."""
    if outcome not in Consultation.Outcome.values or outcome == Consultation.Outcome.UNREACHABLE:
        raise ValidationError({"outcome": _("请选择办结结果。")})
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("lawyer", "worker")
            .get(pk=consultation.pk)
        )
        _require_handler(consultation, by)
        if consultation.status not in (*OPEN_STATES, Consultation.Status.ANSWERED):
            raise ValidationError(_("该咨询已办结。"))
        if outcome == Consultation.Outcome.ANSWERED and consultation.status != Consultation.Status.ANSWERED:
            raise ValidationError({"outcome": _("请先填写答复意见，再以“已解答”办结。")})
        now = timezone.now()
        consultation.status = Consultation.Status.CLOSED
        consultation.outcome = outcome
        consultation.closed_at = now
        consultation.first_response_at = consultation.first_response_at or now
        consultation.save(update_fields=["status", "outcome", "closed_at", "first_response_at", "updated_at"])
        if consultation.answered_at:
            ledger_add_for_consultation(consultation)
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            consultation=consultation,
            detail=_("办结：%(outcome)s") % {"outcome": consultation.get_outcome_display()},
        )
        if outcome == Consultation.Outcome.MEDIATION:
            applicant = {
                "user": consultation.worker,
                "name": consultation.contact_name,
                "phone": consultation.contact_phone,
            }
            case_open(
                station=case_station or consultation.station,
                applicants=[applicant],
                respondent_name=consultation.employer_label or _("（待补充）"),
                respondent=consultation.employer,
                topic=consultation.topic,
                claim=consultation.question,
                amount_claimed=amount_claimed,
                arose_on=timezone.localdate(consultation.created_at),
                applied_on=timezone.localdate(),
                by=by,
                lawyer=consultation.lawyer,
                source_consultation=consultation,
                is_new_form=consultation.is_new_form,
            )
    return consultation


def consultation_cancel(*, consultation: Consultation, by) -> Consultation:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.worker_id != by.pk:
            raise ValidationError(_("只能撤回自己的咨询。"))
        if not consultation.is_open:
            raise ValidationError(_("该咨询已有结果，不能撤回。"))
        consultation.status = Consultation.Status.CANCELLED
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["status", "closed_at", "updated_at"])
        audit(actor=by, action=AuditLog.Action.CHANGE, consultation=consultation, detail=_("职工撤回咨询"))
    return consultation


def consultation_no_show(*, consultation: Consultation, by) -> Consultation:
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("lawyer", "shift")
            .get(pk=consultation.pk)
        )
        _require_handler(consultation, by)
        if consultation.status != Consultation.Status.SCHEDULED or consultation.shift.starts_at > timezone.now():
            raise ValidationError(_("只有预约时段开始后才能登记未到场。"))
        consultation.status = Consultation.Status.NO_SHOW
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["status", "closed_at", "updated_at"])
        audit(actor=by, action=AuditLog.Action.CHANGE, consultation=consultation, detail=_("登记未到场"))
    return consultation


def consultation_rate(*, consultation: Consultation, by, rating: int, comment: str = "") -> Consultation:
    """The worker rates the answer, once: a conditional update, so two clicks cannot both count."""
    consultation = Consultation.objects.get(pk=consultation.pk)
    if consultation.worker_id != by.pk:
        raise ValidationError(_("只能评价自己的咨询。"))
    if consultation.answered_at is None:
        raise ValidationError(_("咨询答复后才能评价。"))
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("请选择 1 到 5 星。")})
    with transaction.atomic():
        done = Consultation.objects.filter(pk=consultation.pk, rating__isnull=True).update(
            rating=int(rating), rating_comment=comment[:200], rated_at=timezone.now()
        )
        if not done:
            raise ValidationError(_("您已经评价过这条咨询，每条咨询只能评价一次。"))
        audit(actor=by, action=AuditLog.Action.CHANGE, consultation=consultation, detail=_("职工评价"))
    consultation.refresh_from_db()
    return consultation


# --- Dispute cases -------------------------------------------------------------------------


def _case_event(case, by, text) -> CaseEvent:
    audit(actor=by, action=AuditLog.Action.CHANGE, case=case, detail=text)
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
        _require_cleared(check, override_reason, mediator)
        case.mediators.add(mediator)
        text = _("指派调解员%(name)s") % {"name": mediator.display_name}
        if check.override_reason:
            text += _("（利益冲突强制指派：%(reason)s）") % {"reason": check.override_reason}
        _case_event(case, by, text)
    return case


def _can_run_case(case, by) -> bool:
    if by.is_superuser or by.has_perm("legal_aid.view_private_records"):
        return True
    if case.mediators.filter(pk=by.pk).exists():
        return True
    return StationMember.objects.current().filter(station_id=case.station_id, user=by).exists()


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


# --- Ledger --------------------------------------------------------------------------------


def ledger_add(*, station, by, date, channel, topic, people, new_form_people=0, note="", is_demo=False) -> LedgerEntry:
    """A walk-in, call, enterprise visit or event recorded by station staff or officers."""
    if not (
        by.is_superuser
        or by.has_perm("legal_aid.add_ledgerentry")
        or StationMember.objects.current().filter(station=station, user=by).exists()
    ):
        raise ValidationError(_("只有本站工作人员可以登记服务台账。"))
    if date > timezone.localdate():
        raise ValidationError({"date": _("台账日期不能晚于今天。")})
    entry = LedgerEntry(
        station=station,
        date=date,
        channel=channel,
        topic=topic,
        people=people,
        new_form_people=new_form_people,
        note=note,
        entered_by=by,
        is_demo=is_demo,
    )
    if new_form_people > people:
        raise ValidationError({"new_form_people": _("新就业形态人数不能多于服务人数。")})
    entry.full_clean()
    entry.save()
    return entry


# --- Events --------------------------------------------------------------------------------


def event_register(*, event: LegalEvent, user) -> Registration:
    """Register for an event: a seat while there is one, else the waiting list."""
    with transaction.atomic():
        event = LegalEvent.objects.select_for_update().get(pk=event.pk)
        if event.status != LegalEvent.Status.OPEN or event.starts_at <= timezone.now():
            raise ValidationError(_("该活动已不接受报名。"))
        if event.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).exists():
            raise ValidationError(_("您已经报名了这个活动。"))
        taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        status = Registration.Status.CONFIRMED if taken < event.capacity else Registration.Status.WAITING
        try:
            with transaction.atomic():
                return Registration.objects.create(event=event, user=user, status=status)
        except IntegrityError:
            raise ValidationError(_("您已经报名了这个活动。")) from None


def registration_cancel(*, registration: Registration, by) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list. Returns who was promoted."""
    promoted = None
    with transaction.atomic():
        event = LegalEvent.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.user_id != by.pk and not by.has_perm("legal_aid.change_registration"):
            raise ValidationError(_("只能取消自己的报名。"))
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError(_("该报名已取消。"))
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if was_confirmed:
            promoted = (
                event.registrations.select_for_update()
                .filter(status=Registration.Status.WAITING)
                .order_by("created_at", "pk")
                .first()
            )
            if promoted:
                promoted.status = Registration.Status.CONFIRMED
                promoted.save(update_fields=["status", "updated_at"])
    if promoted:
        notification_send(
            user=promoted.user,
            kind="legal_aid.event",
            key=f"legal_aid:promoted:{promoted.pk}",
            title=_("候补成功：%(event)s") % {"event": event.display_title},
            body=_("有人取消报名，您已从候补转为正式报名。"),
            url=event.get_absolute_url(),
        )
    return promoted


def registration_check_in(*, registration: Registration, by) -> Registration:
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("只有报名成功的职工可以签到。"))
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def event_mark_held(*, event: LegalEvent, by, head_count: int | None = None) -> LegalEvent:
    """Close an event as held with its head count (checked-in registrants plus invitees present by default)."""
    if event.status == LegalEvent.Status.CANCELLED:
        raise ValidationError(_("已取消的活动不能登记为已举办。"))
    if event.starts_at > timezone.now():
        raise ValidationError(_("活动开始后才能登记为已举办。"))
    if head_count is None:
        head_count = (
            event.registrations.filter(checked_in_at__isnull=False).count()
            + event.invitees.filter(attended=True).count()
        )
    event.head_count = head_count
    event.status = LegalEvent.Status.HELD
    event.full_clean()
    event.save(update_fields=["head_count", "status", "updated_at"])
    return event


# --- Reminders (each with a natural key; notify_all sends at most once) ---------------------


def _date_text(day) -> str:
    return day.strftime("%Y-%m-%d")


def shifts_tomorrow_notify(*, today: datetime.date | None = None) -> int:
    """Tell each lawyer about tomorrow's shifts."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    told = 0
    shifts = DutyShift.objects.filter(date=tomorrow, status__in=["scheduled", "confirmed"]).select_related(
        "station", "lawyer"
    )
    for shift in shifts:
        told += notify_all(
            [shift.lawyer.user_id],
            kind="legal_aid.shift",
            key=f"legal_aid:shift-tomorrow:{shift.pk}",
            title=_("明天值班：%(station)s %(start)s–%(end)s")
            % {"station": shift.station, "start": shift.start.strftime("%H:%M"), "end": shift.end.strftime("%H:%M")},
            body=_("预约 %(n)s 人。") % {"n": shift.bookings.exclude(status="cancelled").count()},
            url=reverse("legal_aid:duty"),
        )
    return told


def shifts_unconfirmed_notify(*, today: datetime.date | None = None) -> int:
    """Staff hear of shifts three days ahead that the lawyer has not confirmed."""
    day = (today or timezone.localdate()) + datetime.timedelta(days=3)
    told = 0
    for shift in DutyShift.objects.filter(date=day, status="scheduled").select_related("station", "lawyer__user"):
        told += notify_all(
            _staff_of(shift.station) or _officers(),
            kind="legal_aid.shift",
            key=f"legal_aid:shift-unconfirmed:{shift.pk}",
            title=_("值班未确认：%(date)s %(station)s %(lawyer)s")
            % {"date": _date_text(shift.date), "station": shift.station, "lawyer": shift.lawyer},
            url=reverse("legal_aid:roster"),
        )
    return told


def appointments_tomorrow_notify(*, today: datetime.date | None = None) -> int:
    """Workers with a booked slot tomorrow get a reminder the day before."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    told = 0
    qs = Consultation.objects.filter(
        status=Consultation.Status.SCHEDULED, shift__date=tomorrow, worker__isnull=False
    ).select_related("shift__station")
    for c in qs:
        told += notify_all(
            [c.worker_id],
            kind="legal_aid.appointment",
            key=f"legal_aid:appointment:{c.pk}:{c.shift_id}",
            title=_("明天法律咨询预约：%(station)s %(start)s")
            % {"station": c.shift.station, "start": c.shift.start.strftime("%H:%M")},
            body=_("地址：%(address)s。如不能前来，请在“我的”里撤回预约。") % {"address": c.shift.station.address},
            url=c.get_absolute_url(),
        )
    return told


def callbacks_due_notify(*, now: datetime.datetime | None = None) -> int:
    """A lawyer is told 30 minutes before a worker's callback window opens."""
    now = now or timezone.now()
    told = 0
    qs = (
        Consultation.objects.open()
        .filter(
            channel=Consultation.Channel.CALLBACK,
            lawyer__isnull=False,
            callback_from__gt=now,
            callback_from__lte=now + datetime.timedelta(minutes=30),
        )
        .select_related("lawyer")
    )
    for c in qs:
        told += notify_all(
            [c.lawyer.user_id],
            kind="legal_aid.callback",
            key=f"legal_aid:callback-due:{c.pk}:{c.callback_from:%Y%m%d%H%M}",
            title=_("30 分钟后请回拨职工（咨询 #%(pk)s）") % {"pk": c.pk},
            url=c.get_absolute_url(),
        )
    return told


def consultations_overdue_notify(*, now: datetime.datetime | None = None) -> int:
    """Consultations past their first-response deadline: the lawyer (if any) and staff are told once."""
    now = now or timezone.now()
    told = 0
    qs = Consultation.objects.open().filter(due_at__lt=now, first_response_at__isnull=True).select_related("lawyer")
    for c in qs.iterator():
        people = _staff_of(c.station) or list(_officers().values_list("pk", flat=True))
        if c.lawyer_id:
            people = [c.lawyer.user_id, *people]
        told += notify_all(
            people,
            kind="legal_aid.overdue",
            key=f"legal_aid:overdue:{c.pk}",
            title=_("法律咨询 #%(pk)s 已超过答复期限") % {"pk": c.pk},
            url=c.get_absolute_url(),
        )
    return told


def case_clocks_notify(*, today: datetime.date | None = None) -> int:
    """The legal clocks: mediation day 10 / day 15, payment date passed, 11 months of the arbitration year."""
    today = today or timezone.localdate()
    told = 0
    live = DisputeCase.objects.exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN]).prefetch_related("mediators")
    for case in live.filter(
        stage__in=[Stage.INTAKE, Stage.MEDIATING], applied_on__lte=today - datetime.timedelta(days=10)
    ):
        mediators = [m.pk for m in case.mediators.all()]
        url = case.get_absolute_url()
        told += notify_all(
            mediators,
            kind="legal_aid.case_clock",
            key=f"legal_aid:case-day10:{case.pk}",
            title=_("%(number)s 调解已满 10 天，15 天内未达成协议当事人可申请仲裁") % {"number": case.number},
            url=url,
        )
        if today >= case.day_15:
            told += notify_all(
                _staff_of(case.station) or list(_officers().values_list("pk", flat=True)),
                kind="legal_aid.case_clock",
                key=f"legal_aid:case-day15:{case.pk}",
                title=_("%(number)s 调解已满 15 天未达成协议（劳动争议调解仲裁法第十四条）") % {"number": case.number},
                url=url,
            )
    for case in live.filter(stage=Stage.SETTLED, payment_due__lt=today, performance__in=["", "partial"]):
        told += notify_all(
            [m.pk for m in case.mediators.all()],
            kind="legal_aid.case_clock",
            key=f"legal_aid:case-payment:{case.pk}",
            title=_("%(number)s 约定履行日期 %(due)s 已过，请核实履行情况")
            % {"number": case.number, "due": _date_text(case.payment_due)},
            url=case.get_absolute_url(),
        )
    for case in live.filter(arose_on__lte=today - datetime.timedelta(days=334)).exclude(
        stage__in=[Stage.ARBITRATION, Stage.LITIGATION, Stage.SETTLED]
    ):
        if today < case.arbitration_limit - datetime.timedelta(days=31):
            continue
        told += notify_all(
            [m.pk for m in case.mediators.all()],
            kind="legal_aid.case_clock",
            key=f"legal_aid:case-11months:{case.pk}",
            title=_("%(number)s 距一年仲裁时效届满（%(limit)s）不足一个月（第二十七条）")
            % {"number": case.number, "limit": _date_text(case.arbitration_limit)},
            url=case.get_absolute_url(),
        )
    return told


def events_tomorrow_notify(*, today: datetime.date | None = None) -> int:
    """Registrants hear of an event the day before."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    told = 0
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    window = {"starts_at__gte": start, "starts_at__lt": start + datetime.timedelta(days=1)}
    for event in LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, **window):
        told += notify_all(
            list(event.registrations.filter(status=Registration.Status.CONFIRMED).values_list("user_id", flat=True)),
            kind="legal_aid.event",
            key=f"legal_aid:event-tomorrow:{event.pk}",
            title=_("明天活动：%(event)s") % {"event": event.display_title},
            body=_("时间：%(time)s；地点：%(place)s")
            % {
                "time": timezone.localtime(event.starts_at).strftime("%m-%d %H:%M"),
                "place": event.place,
            },
            url=event.get_absolute_url(),
        )
    return told


def ledger_monthly_request(*, today: datetime.date | None = None) -> int:
    """On the 1st: ask each open station's staff to complete last month's ledger."""
    today = today or timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    told = 0
    for station in LegalStation.objects.filter(status=LegalStation.Status.OPEN):
        told += notify_all(
            _staff_of(station),
            kind="legal_aid.ledger",
            key=f"legal_aid:ledger:{station.pk}:{month}",
            title=_("请补全%(station)s %(month)s 的服务台账") % {"station": station, "month": month},
            url=reverse("legal_aid:ledger_new"),
        )
    return told


# --- Retention -----------------------------------------------------------------------------

PURGED = "（已按保存期限删除）"


def records_purge_expired(*, today: datetime.date | None = None) -> int:
    """Past the retention period, closed consultations and cases keep only what the figures need.

    Names, phone numbers, questions, answers and files are removed; topic, station, dates, outcome
    and amounts stay, so the yearly figures do not change. Returns how many records were cleared.
    """
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - datetime.timedelta(
        days=retention_days()
    )
    done = 0
    ended = [
        Consultation.Status.CLOSED,
        Consultation.Status.CANCELLED,
        Consultation.Status.NO_SHOW,
        Consultation.Status.UNREACHABLE,
    ]
    stale = Consultation.objects.filter(status__in=ended, closed_at__lt=cutoff).exclude(question=PURGED)
    for consultation in stale.iterator():
        with transaction.atomic():
            for attachment in consultation.attachments.all():
                attachment.file.delete(save=False)
                attachment.delete()
            Consultation.objects.filter(pk=consultation.pk).update(
                contact_name=PURGED[:40],
                contact_phone="",
                question=PURGED,
                answer="",
                employer_name="",
                rating_comment="",
            )
            audit(
                actor=None, action=AuditLog.Action.CHANGE, consultation=consultation, detail=_("按保存期限删除个人信息")
            )
        done += 1
    cases = DisputeCase.objects.filter(stage=Stage.CLOSED, closed_on__lt=cutoff.date()).exclude(claim=PURGED)
    for case in cases.iterator():
        with transaction.atomic():
            for document in case.documents.all():
                document.file.delete(save=False)
                document.delete()
            if case.agreement_file:
                case.agreement_file.delete(save=False)
            CaseApplicant.objects.filter(case=case).update(name=PURGED[:40], phone="", user=None)
            CaseSession.objects.filter(case=case).update(attendees="", minutes=PURGED)
            DisputeCase.objects.filter(pk=case.pk).update(claim=PURGED, agreement_file="")
            audit(actor=None, action=AuditLog.Action.CHANGE, case=case, detail=_("按保存期限删除个人信息"))
        done += 1
    return done
