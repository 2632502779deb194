"""After a place is confirmed: booking a slot, the provider's check-in, one satisfaction answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment

from ..models import Application, Programme, ProviderStaff, Slot

State = Enrolment.State


def _release_slot(application: Application) -> None:
    Slot.objects.filter(pk=application.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    application.slot = None
    application.save(update_fields=["slot", "updated_at"])


def book(*, application: Application, slot: Slot, now=None) -> Application:
    """Book (or move to) an appointment time; a full slot says so and nothing changes."""
    now = now or timezone.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("enrolment", "programme")
            .get(pk=application.pk)
        )
        if application.enrolment.state != State.CONFIRMED:
            raise ValidationError(_("确认名额后才能预约时间。"), code="not_confirmed")
        if slot.programme_id != application.programme_id:
            raise ValidationError(_("该时段不属于本项目。"), code="wrong_slot")
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if slot.day < timezone.localdate(now):
            raise ValidationError(_("该时段已过，请选择其他时间。"), code="past")
        if application.slot_id == slot.pk:
            return application
        if slot.booked >= slot.places:
            raise ValidationError(_("该时段已约满，请选择其他时间。"), code="full")
        if application.slot_id:
            _release_slot(application)
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
        application.slot = slot
        application.save(update_fields=["slot", "updated_at"])
        audit_record(actor=application.person, action="change", obj=application, detail=f"booked {slot}")
    return application


def provider_ids(user) -> list[int]:
    return list(ProviderStaff.objects.filter(user=user).values_list("provider_id", flat=True))


def sent_to(provider_ids_) -> Q:
    """Applications sent to these providers: booked there, or (no appointment) the programme's provider."""
    return Q(slot__provider_id__in=provider_ids_) | Q(
        programme__needs_appointment=False, programme__providers__in=provider_ids_
    )


def _find_person(code: str):
    from django.contrib.auth import get_user_model

    code = (code or "").strip()
    if code.isdigit() and len(code) == 11:
        people = list(get_user_model().objects.filter(phone=code, is_active=True)[:2])
        if not people:
            raise ValidationError(_("没有找到手机号 %(phone)s 的职工。") % {"phone": code})
        if len(people) > 1:
            raise ValidationError(_("手机号 %(phone)s 对应多个账户，请改扫个人二维码。") % {"phone": code})
        return people[0], Attendance.Method.PHONE
    if not code:
        raise ValidationError(_("请扫描职工的二维码或输入11位手机号码。"))
    return engine.person_from_code(code), Attendance.Method.PERSONAL_QR


def provider_checkin(*, by, code: str, policy_number: str = "", now=None) -> Application:
    """Provider staff check in a person sent to their provider (QR or phone) → delivered."""
    now = now or timezone.now()
    person, method = _find_person(code)
    mine = provider_ids(by)
    if not mine:
        raise ValidationError(_("您不是任何服务机构的工作人员。"))
    application = (
        Application.objects.filter(person=person)
        .filter(sent_to(mine))
        .filter(enrolment__state__in=(State.CONFIRMED, State.ATTENDED))
        .select_related("programme", "enrolment", "slot")
        .order_by("-programme__year", "pk")
        .distinct()
        .first()
    )
    if application is None:
        raise ValidationError(
            _("%(name)s 没有被安排到本机构（或名额尚未确认），不能签到。") % {"name": person.display_name},
            code="not_sent",
        )
    programme: Programme = application.programme
    today = timezone.localdate(now)
    if application.slot_id and application.slot.day != today:
        raise ValidationError(
            _("%(name)s 预约的是 %(day)s，不是今天。") % {"name": person.display_name, "day": application.slot.day},
            code="other_day",
        )
    policy_number = (policy_number or "").strip()
    if programme.proof == Programme.Proof.POLICY and not policy_number:
        raise ValidationError({"policy_number": _("请填写保单号。")})
    with transaction.atomic():
        result = engine.checkin(occasion=programme.occasion, person=person, method=method, by=by, now=now)
        if policy_number:
            if (
                Application.objects.filter(programme=programme, policy_number=policy_number)
                .exclude(pk=application.pk)
                .exists()
            ):
                raise ValidationError({"policy_number": _("保单号 %(n)s 已用于其他人。") % {"n": policy_number}})
            application.policy_number = policy_number
            application.save(update_fields=["policy_number", "updated_at"])
        application.enrolment.refresh_from_db()
        application.already = result.already
        audit_record(actor=by, action="change", obj=application, detail="delivered (checked in by provider)")
    return application


def rate(*, application: Application, score, comment: str = ""):
    answer = engine.satisfaction_submit(enrolment=application.enrolment, score=score, comment=comment)
    audit_record(actor=application.person, action="change", obj=application, detail="satisfaction")
    return answer


def appointments_tomorrow(*, today=None) -> int:
    """Beat (evening): people booked for tomorrow hear the time and the provider, once per slot."""
    import datetime

    from django.contrib.auth import get_user_model

    from apps.reminders.services import notify_all

    today = today or timezone.localdate()
    told = 0
    slots = Slot.objects.filter(day=today + datetime.timedelta(days=1)).select_related("programme", "provider")
    for slot in slots:
        people = get_user_model().objects.filter(
            pk__in=Application.objects.filter(slot=slot, enrolment__state=State.CONFIRMED).values("person_id")
        )
        told += notify_all(
            people,
            kind="benefits.appointment",
            key=f"benefits.tomorrow:{slot.pk}",
            title=_("明天：%(name)s") % {"name": slot.programme.name},
            body=_("时间：%(start)s–%(end)s\n地点：%(provider)s\n请带好身份证，到场后出示“我的二维码”或报手机号签到。")
            % {"start": slot.starts.strftime("%H:%M"), "end": slot.ends.strftime("%H:%M"), "provider": slot.provider},
            url=f"{slot.programme.get_absolute_url()}#my-code",
        )
    return told
