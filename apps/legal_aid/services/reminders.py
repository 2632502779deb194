"""Reminders, each with a natural key: notify_all sends at most once."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import users_holding
from apps.reminders.services import notify_all

from ..models import Consultation, DisputeCase, DutyShift, LegalStation
from .common import legal_officers, station_staff_ids

Stage = DisputeCase.Stage


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
            station_staff_ids(shift.station) or legal_officers(),
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
        people = station_staff_ids(c.station) or list(legal_officers().values_list("pk", flat=True))
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
    live = DisputeCase.objects.exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN])
    for case in live.filter(
        stage__in=[Stage.INTAKE, Stage.MEDIATING], applied_on__lte=today - datetime.timedelta(days=10)
    ):
        url = case.get_absolute_url()
        told += notify_all(
            users_holding("mediator", obj=case),
            kind="legal_aid.case_clock",
            key=f"legal_aid:case-day10:{case.pk}",
            title=_("%(number)s 调解已满 10 天，15 天内未达成协议当事人可申请仲裁") % {"number": case.number},
            url=url,
        )
        if today >= case.day_15:
            told += notify_all(
                station_staff_ids(case.station) or list(legal_officers().values_list("pk", flat=True)),
                kind="legal_aid.case_clock",
                key=f"legal_aid:case-day15:{case.pk}",
                title=_("%(number)s 调解已满 15 天未达成协议（劳动争议调解仲裁法第十四条）") % {"number": case.number},
                url=url,
            )
    for case in live.filter(stage=Stage.SETTLED, payment_due__lt=today, performance__in=["", "partial"]):
        told += notify_all(
            users_holding("mediator", obj=case),
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
            users_holding("mediator", obj=case),
            kind="legal_aid.case_clock",
            key=f"legal_aid:case-11months:{case.pk}",
            title=_("%(number)s 距一年仲裁时效届满（%(limit)s）不足一个月（第二十七条）")
            % {"number": case.number, "limit": _date_text(case.arbitration_limit)},
            url=case.get_absolute_url(),
        )
    return told


def ledger_monthly_request(*, today: datetime.date | None = None) -> int:
    """On the 1st: ask each open station's staff to complete last month's ledger."""
    today = today or timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    told = 0
    for station in LegalStation.objects.filter(status=LegalStation.Status.OPEN):
        told += notify_all(
            station_staff_ids(station),
            kind="legal_aid.ledger",
            key=f"legal_aid:ledger:{station.pk}:{month}",
            title=_("请补全%(station)s %(month)s 的服务台账") % {"station": station, "month": month},
            url=reverse("legal_aid:ledger_new"),
        )
    return told
