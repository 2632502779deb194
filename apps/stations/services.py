"""Writes of the stations app and the rules of its reminders."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import users_holding
from apps.reminders.outbox import enqueue
from apps.reminders.services import notify_all

from .models import (
    INSPECTION_INTERVAL_DAYS,
    Amenity,
    Inspection,
    InspectionItem,
    Rating,
    Report,
    Station,
    Visit,
)
from .selectors import stations_overdue

KIND_OVERDUE = "stations.inspection_overdue"
KIND_PROBLEM = "stations.inspection_problem"
KIND_REPORT = "stations.report"


class AlreadyCheckedIn(Exception):
    """This person has already checked in at this station within the current hour."""


# --- Who is told ---------------------------------------------------------------------------
def station_staff():
    """Active staff who manage stations in the admin: superusers and holders of change_station."""
    return users_holding("stations.change_station").filter(is_staff=True)


def _tell_keepers_and_staff(station: Station, *, kind: str, key: str, title, body, keeper_url: str, staff_url: str):
    """Staff (with the admin link) and the station's keepers (with theirs), at most once each."""
    told = notify_all(station_staff(), kind=kind, key=key, title=title, body=body, url=staff_url)
    keepers = users_holding("station_keeper", obj=station)
    return told + notify_all(keepers, kind=kind, key=key, title=title, body=body, url=keeper_url)


# --- Stations --------------------------------------------------------------------------------
def station_verify(*, station: Station, when: datetime.datetime | None = None) -> Station:
    """Record that staff confirmed the station's details now."""
    station.verified_at = when or timezone.now()
    station.save(update_fields=["verified_at", "updated_at"])
    return station


def station_keeper_update(*, station: Station, phone: str, status: str, status_reason: str) -> Station:
    """A keeper corrects the phone number or suspends/reopens their station."""
    if status not in (Station.Status.OPEN, Station.Status.SUSPENDED):
        raise ValidationError({"status": _("驿站管理员只能设为开放或暂停开放。")})
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if station.status not in (Station.Status.OPEN, Station.Status.SUSPENDED) and status != station.status:
            # Opening a planned station or reopening a closed one is the staff's decision.
            raise ValidationError({"status": _("该驿站尚未启用或已关闭，开放状态由工会工作人员调整。")})
        station.phone = phone
        station.status = status
        station.status_reason = status_reason if status != Station.Status.OPEN else ""
        station.full_clean()
        station.save()
    return station


# --- Feedback --------------------------------------------------------------------------------
def rating_submit(
    *,
    station: Station,
    user,
    score: int,
    comment: str = "",
    report_kind: str = "",
    report_note: str = "",
) -> tuple[Rating, Report | None]:
    """Save a worker's rating (one per person, updated on resubmission) and an optional report."""
    comment = comment.strip()

    def apply(rating: Rating) -> Rating:
        changed_comment = comment != rating.comment
        rating.score = score
        rating.comment = comment
        if changed_comment or rating._state.adding:
            # Comments are shown after moderation; a score alone needs none.
            rating.moderation = Rating.Moderation.PENDING if comment else Rating.Moderation.APPROVED
            rating.moderated_at = None
        # Every rule (the score's range is a field validator) but "one per person", which the
        # database decides: see the race handled below.
        rating.full_clean(validate_unique=False, validate_constraints=False)
        return rating

    with transaction.atomic():
        rating = apply(
            Rating.objects.select_for_update().filter(station=station, user=user).first()
            or Rating(station=station, user=user)
        )
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            # The same person's simultaneous first rating (a double tap) won the insert: update it.
            rating = apply(Rating.objects.select_for_update().get(station=station, user=user))
            rating.save()
        report = None
        # The same open problem sent again (a double tap) is not reported, nor told to keepers, twice.
        if report_kind and not (
            report := Report.objects.filter(
                station=station, user=user, kind=report_kind, note=report_note.strip(), resolved_at__isnull=True
            ).first()
        ):
            report = Report(station=station, user=user, kind=report_kind, note=report_note.strip())
            report.full_clean()
            report.save()
            from .tasks import report_notify

            enqueue(report_notify, report.pk)
    return rating, report


def rating_moderate(*, rating: Rating, approve: bool) -> Rating:
    """Staff approve or reject a rating's comment."""
    rating.moderation = Rating.Moderation.APPROVED if approve else Rating.Moderation.REJECTED
    rating.moderated_at = timezone.now()
    rating.full_clean()
    rating.save(update_fields=["moderation", "moderated_at", "updated_at"])
    return rating


def report_resolve(*, report: Report) -> Report:
    report.resolved_at = timezone.now()
    report.save(update_fields=["resolved_at", "updated_at"])
    return report


def report_notify_keepers(*, report_id: int) -> int:
    """Tell the station's keepers about a worker's report, once per report; returns how many were told."""
    report = Report.objects.select_related("station", "user").filter(pk=report_id).first()
    if report is None:
        return 0
    station = report.station
    return notify_all(
        users_holding("station_keeper", obj=station),
        key=f"{KIND_REPORT}:{report.pk}",
        kind=KIND_REPORT,
        title=_("职工反映：%(station)s%(kind)s") % {"station": station.name, "kind": report.get_kind_display()},
        body=report.note or _("请尽快到现场查看处理。"),
        url=reverse("stations:keeper"),
    )


# --- Check-in --------------------------------------------------------------------------------
def visit_record(
    *, station: Station, occupation: str, user=None, visitor_key: str = "", now: datetime.datetime | None = None
) -> Visit:
    """Record a check-in; raises AlreadyCheckedIn for a second one by the same person in the same hour."""
    now = now or timezone.now()
    if user is not None and user.is_authenticated:
        visitor = f"u{user.pk}"
    elif visitor_key:
        visitor = f"a{visitor_key}"[:40]
        user = None
    else:
        raise ValidationError(_("无法识别签到人，请开启浏览器 Cookie 后重试。"))
    if station.status != Station.Status.OPEN:
        raise ValidationError(_("该驿站目前不开放，无法签到。"))
    visit = Visit(
        station=station,
        user=user,
        visitor=visitor,
        occupation=occupation,
        hour=now.replace(minute=0, second=0, microsecond=0),
        day=timezone.localdate(now),
    )
    visit.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # The unique constraint on (station, visitor, hour) decides, even for two taps at once.
        raise AlreadyCheckedIn from None
    return visit


# --- Inspections -----------------------------------------------------------------------------
def inspection_create(
    *,
    station: Station,
    inspector,
    states: dict[int, tuple[str, str]],
    inspected_on: datetime.date | None = None,
    next_due: datetime.date | None = None,
    notes: str = "",
    photo=None,
) -> Inspection:
    """Log a keeper's inspection with one checklist item per amenity (amenity id -> (state, note))."""
    inspected_on = inspected_on or timezone.localdate()
    next_due = next_due or inspected_on + datetime.timedelta(days=INSPECTION_INTERVAL_DAYS)
    amenities = {a.pk: a for a in Amenity.objects.filter(pk__in=states)}
    with transaction.atomic():
        inspection = Inspection(
            station=station, inspector=inspector, inspected_on=inspected_on, next_due=next_due, notes=notes.strip()
        )
        if photo:
            inspection.photo = photo
        inspection.full_clean()
        inspection.save()
        items = []
        for amenity_id, (state, note) in states.items():
            item = InspectionItem(inspection=inspection, amenity=amenities[amenity_id], state=state, note=note.strip())
            item.full_clean(exclude=["inspection"])
            items.append(item)
        InspectionItem.objects.bulk_create(items)
        if any(item.state != InspectionItem.State.OK for item in items):
            inspection_problems_enqueue(inspection=inspection)
    return inspection


def inspection_problems_enqueue(*, inspection: Inspection) -> None:
    """Queue the broken/missing-equipment reminder for after the inspection is committed."""
    from .tasks import inspection_problems_notify

    enqueue(inspection_problems_notify, inspection.pk)


def inspection_notify_problems(*, inspection_id: int) -> int:
    """Remind keepers and staff of broken or missing equipment, once per station and due date."""
    inspection = Inspection.objects.select_related("station").filter(pk=inspection_id).first()
    if inspection is None:
        return 0
    problems = list(inspection.items.exclude(state=InspectionItem.State.OK).select_related("amenity"))
    if not problems:
        return 0
    station = inspection.station
    listed = "；".join(f"{item.amenity.checklist_label}：{item.get_state_display()}" for item in problems)
    return _tell_keepers_and_staff(
        station,
        key=f"{KIND_PROBLEM}:{station.pk}:{inspection.next_due.isoformat()}",
        kind=KIND_PROBLEM,
        title=_("%(station)s巡检发现设备问题") % {"station": station.name},
        body=_("%(date)s 巡检：%(items)s。请安排维修或补充。") % {"date": inspection.inspected_on, "items": listed},
        keeper_url=reverse("stations:keeper"),
        staff_url=reverse("admin:stations_inspection_change", args=[inspection.pk]),
    )


def inspections_overdue_notify(*, today: datetime.date | None = None) -> int:
    """Remind keepers and staff of each open station whose inspection is overdue, once per due date."""
    today = today or timezone.localdate()
    sent = 0
    for station in stations_overdue(today):
        sent += _tell_keepers_and_staff(
            station,
            key=f"{KIND_OVERDUE}:{station.pk}:{station.due.isoformat()}",
            kind=KIND_OVERDUE,
            title=_("%(station)s巡检已逾期") % {"station": station.name},
            body=_("按计划应于 %(due)s 前完成巡检，请尽快到站检查设备。") % {"due": station.due},
            keeper_url=reverse("stations:inspection_new", args=[station.pk]),
            staff_url=reverse("admin:stations_station_change", args=[station.pk]),
        )
    return sent
