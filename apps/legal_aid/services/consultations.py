"""Consultations: submit, assign, call back, answer, close, cancel, rate."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.core.private_files import checked_file
from apps.core.workdays import add_working_days
from apps.reminders.services import notification_send

from ..models import (
    OPEN_STATES,
    Attachment,
    CallbackAttempt,
    Consultation,
    DutyShift,
    LawyerProfile,
    LegalStation,
)
from ..selectors.access import consultations_handled_by
from .cases import case_open
from .common import response_days
from .conflicts import conflict_check, require_cleared
from .ledger import ledger_add_for_consultation


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
        audit_record(
            actor=recorded_by or worker, action=AuditEntry.Action.CREATE, obj=consultation, detail=_("提交咨询")
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
        require_cleared(check, override_reason, lawyer.user)
        consultation.lawyer = lawyer
        consultation.assigned_at = timezone.now()
        if consultation.status == Consultation.Status.SUBMITTED:
            consultation.status = Consultation.Status.TRIAGED
        consultation.save(update_fields=["lawyer", "assigned_at", "status", "updated_at"])
        detail = _("分派给%(lawyer)s") % {"lawyer": lawyer}
        if check.override_reason:
            detail += _("（利益冲突强制指派：%(reason)s）") % {"reason": check.override_reason}
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=consultation, detail=detail)
    _tell_lawyer_assigned(consultation)
    return consultation


def _require_handler(consultation: Consultation, by) -> None:
    if not consultations_handled_by(by).filter(pk=consultation.pk).exists():
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
        audit_record(
            actor=by,
            action=AuditEntry.Action.CHANGE,
            obj=consultation,
            detail=_("第%(n)s次回拨：%(result)s") % {"n": number, "result": _("已接通") if reached else _("未接通")},
        )
    return attempt


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
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=consultation, detail=_("答复咨询"))
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
        audit_record(
            actor=by,
            action=AuditEntry.Action.CHANGE,
            obj=consultation,
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
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=consultation, detail=_("职工撤回咨询"))
    return consultation


def consultation_no_show(*, consultation: Consultation, by) -> Consultation:
    """The worker did not come to a booked slot: the handler closes it as a no-show (the slot stays counted)."""
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("lawyer", "shift")
            .get(pk=consultation.pk)
        )
        _require_handler(consultation, by)
        if not consultation.no_show_due:
            raise ValidationError(_("只有预约时段开始后才能登记未到场。"))
        consultation.status = Consultation.Status.NO_SHOW
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=consultation, detail=_("登记未到场"))
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
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, obj=consultation, detail=_("职工评价"))
    consultation.refresh_from_db()
    return consultation
