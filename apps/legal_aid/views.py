"""Thin views: read through selectors, write through services, private records answer 404."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required
from apps.core.forms import form_errors_from
from apps.core.pagecache import public_fragment
from apps.core.private_files import private_file_response

from . import selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    CallbackForm,
    CaseIntakeForm,
    CaseMoveForm,
    CloseForm,
    ConsultationForm,
    LedgerForm,
    MediatorForm,
    PerformanceForm,
    RateForm,
    SessionForm,
)
from .models import (
    Attachment,
    AuditLog,
    CaseDocument,
    Consultation,
    DisputeCase,
    DutyShift,
    LawyerProfile,
    LegalEvent,
    LegalStation,
    Registration,
    ShiftSwap,
    StationMember,
    Topic,
)

PER_PAGE = 30
OFFICER = "legal_aid.view_private_records"

FAQ = [
    (
        Topic.WAGES,
        _("老板拖欠工资怎么办？"),
        _("先保留考勤、工资条、聊天记录等证据，可到服务站申请调解，也可拨打 12333 向劳动监察投诉。"),
    ),
    (
        Topic.INJURY,
        _("工作中受伤了，怎么认定工伤？"),
        _("用人单位应在 30 日内申请工伤认定；单位不申请的，本人或家属可在 1 年内向人社部门申请。"),
    ),
    (
        Topic.CONTRACT,
        _("被辞退能拿经济补偿吗？"),
        _("除本人过错等情形外，按工作年限每满一年支付一个月工资的经济补偿；违法解除的为两倍。"),
    ),
    (
        Topic.NEW_FORM,
        _("送外卖、跑快递受伤或被扣款，找谁？"),
        _("新就业形态劳动者同样可以来站咨询，值班律师会帮您判断与平台或站点的关系并指引维权。"),
    ),
]


def _is_officer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm(OFFICER))


# --- Public --------------------------------------------------------------------------------


@require_GET
def index(request):
    today = timezone.localdate()
    # The same for every visitor: read once per page-cache generation, language and day.
    stations, week, events = public_fragment(
        f"legal-index:{get_language()}:{today.isoformat()}",
        lambda: (
            list(selectors.stations_public()),
            list(selectors.duty_this_week()),
            list(selectors.events_upcoming(limit=4)),
        ),
    )
    # Points are stored in WGS-84; tiles in another datum (GCJ-02) would put the markers off, so
    # then the map shows the markers on a blank background rather than in the wrong street.
    wgs84_tiles = getattr(settings, "MAP_TILE_COORDS", "wgs84") == "wgs84"
    map_config = {
        "tileUrl": settings.MAP_TILE_URL if wgs84_tiles else "",
        "attribution": settings.MAP_TILE_ATTRIBUTION if wgs84_tiles else "",
        "center": [32.9306, 119.8406],
        "points": [
            {
                "name": s.name,
                "lat": float(s.latitude),
                "lng": float(s.longitude),
                "url": s.url,
                "flagship": s.kind == LegalStation.Kind.FLAGSHIP,
            }
            for s in stations
            if s.has_point
        ],
    }
    return render(
        request,
        "legal_aid/index.html",
        {
            "stations": stations,
            "flagship": [s for s in stations if s.kind == LegalStation.Kind.FLAGSHIP],
            "grassroots_open": sum(
                1 for s in stations if s.kind == LegalStation.Kind.GRASSROOTS and s.status == "open"
            ),
            "today_shifts": [s for s in week if s.date == today],
            "week": week,
            "events": events,
            "faq": FAQ,
            "map_config": map_config,
        },
    )


@require_GET
def station_detail(request, pk: int):
    try:
        station = selectors.station_detail(pk)
    except LegalStation.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    shifts = selectors.shifts_public(today, today + datetime.timedelta(days=13), station_id=station.pk)
    return render(request, "legal_aid/station_detail.html", {"station": station, "shifts": shifts})


@require_GET
def events(request):
    paginator = Paginator(selectors.events_archive(), PER_PAGE)
    return render(
        request,
        "legal_aid/events.html",
        {"upcoming": selectors.events_upcoming(), "page_obj": paginator.get_page(request.GET.get("page"))},
    )


@require_GET
def event_detail(request, pk: int):
    user = request.user
    try:
        event = selectors.event_detail(pk, user)
    except LegalEvent.DoesNotExist:
        raise Http404 from None
    # Only staff may hold the check-in permission: other visitors are spared the permission queries.
    can_check_in = user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.has_perm("legal_aid.change_registration"))
    )
    return render(request, "legal_aid/event_detail.html", {"event": event, "can_check_in": can_check_in})


@require_POST
@login_required
def event_register(request, pk: int):
    event = object_or_404(LegalEvent.objects.published(), pk=pk)
    try:
        registration = services.event_register(event=event, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("报名成功。"))
        else:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。"))
    return redirect(event.get_absolute_url())


@require_POST
@login_required
def registration_cancel(request, pk: int):
    registration = object_or_404(Registration.objects.filter(user=request.user).select_related("event"), pk=pk)
    try:
        services.registration_cancel(registration=registration, by=request.user)
        messages.success(request, _("已取消报名。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(registration.event.get_absolute_url())


# --- Consultations -------------------------------------------------------------------------


@login_required
def consultation_new(request):
    station_id = request.GET.get("station") or request.POST.get("station")
    station = LegalStation.objects.filter(pk=station_id).first() if str(station_id or "").isdigit() else None
    shifts = selectors.bookable_shifts(station)
    initial = {
        "station": station,
        "contact_name": request.user.display_name,
        "contact_phone": getattr(request.user, "phone", "") or "",
    }
    form = ConsultationForm(request.POST or None, request.FILES or None, shifts=shifts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        callback_from, callback_to = form.callback_range()
        kind = data.get("attachment_kind") or Attachment.Kind.OTHER
        try:
            consultation = services.consultation_submit(
                worker=request.user,
                station=data["station"],
                topic=data["topic"],
                question=data["question"],
                channel=data["channel"],
                consent=data["consent"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                employer_name=data["employer_name"],
                shift=data.get("shift"),
                callback_from=callback_from,
                callback_to=callback_to,
                is_new_form=data["is_new_form"],
                health_consent=data["health_consent"],
                attachments=[(kind, f) for f in data["attachments"]],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request, _("咨询已提交，我们会在 %(n)s 个工作日内联系您。") % {"n": services.response_days()}
            )
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "legal_aid/consultation_form.html",
        {"form": form, "station": station, "retention_days": services.retention_days()},
    )


def _consultation(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    return object_or_404(Consultation.objects.visible_to(request.user).select_related("lawyer__user"), pk=pk)


@login_required
@require_GET
def consultation_detail(request, pk: int):
    try:
        consultation = selectors.consultation_for(request.user, pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    services.audit(actor=request.user, action=AuditLog.Action.VIEW, consultation=consultation)
    user = request.user
    is_handler = _is_officer(user) or (consultation.lawyer_id and consultation.lawyer.user_id == user.pk)
    context = {
        "c": consultation,
        "is_worker": consultation.worker_id == user.pk,
        "is_handler": is_handler,
        "is_officer": _is_officer(user),
        "callback_form": CallbackForm(),
        "answer_form": AnswerForm(),
        "close_form": CloseForm(),
        "rate_form": RateForm(),
        "assign_form": AssignForm(),
        "case": getattr(consultation, "dispute_case", None) if consultation.outcome == "mediation" else None,
    }
    return render(request, "legal_aid/consultation_detail.html", context)


def _run(request, action, *, success: str):
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@require_POST
def consultation_assign(request, pk: int):
    if not (request.user.is_authenticated and request.user.has_perm("legal_aid.triage_consultation")):
        raise Http404
    consultation = _consultation(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择律师。"))
    else:
        _run(
            request,
            lambda: services.consultation_assign(
                consultation=consultation,
                lawyer=form.cleaned_data["lawyer"],
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            ),
            success=_("已指派给%(lawyer)s。") % {"lawyer": form.cleaned_data["lawyer"]},
        )
    return redirect(request.POST.get("next") or consultation.get_absolute_url())


@require_POST
def consultation_callback(request, pk: int):
    consultation = _consultation(request, pk)
    form = CallbackForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.callback_log(
                consultation=consultation,
                by=request.user,
                reached=form.cleaned_data["reached"],
                note=form.cleaned_data["note"],
            ),
            success=_("已登记回拨。"),
        )
    return redirect(consultation.get_absolute_url())


@require_POST
def consultation_answer(request, pk: int):
    consultation = _consultation(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复意见。"))
    else:
        _run(
            request,
            lambda: services.consultation_answer(
                consultation=consultation, by=request.user, answer=form.cleaned_data["answer"]
            ),
            success=_("已答复，服务台账已自动登记。"),
        )
    return redirect(consultation.get_absolute_url())


@require_POST
def consultation_close(request, pk: int):
    consultation = _consultation(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择办结结果。"))
        return redirect(consultation.get_absolute_url())
    done = _run(
        request,
        lambda: services.consultation_close(
            consultation=consultation,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            amount_claimed=form.cleaned_data["amount_claimed"] or 0,
        ),
        success=_("咨询已办结。"),
    )
    if done and form.cleaned_data["outcome"] == Consultation.Outcome.MEDIATION:
        case = DisputeCase.objects.get(source_consultation=consultation)
        messages.info(request, _("已转调解，案件编号 %(number)s。") % {"number": case.number})
        return redirect(case.get_absolute_url())
    return redirect(consultation.get_absolute_url())


@require_POST
def consultation_rate(request, pk: int):
    consultation = _consultation(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择 1 到 5 星。"))
    else:
        _run(
            request,
            lambda: services.consultation_rate(
                consultation=consultation,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            ),
            success=_("感谢您的评价。"),
        )
    return redirect(consultation.get_absolute_url())


@require_POST
def consultation_cancel(request, pk: int):
    consultation = _consultation(request, pk)
    _run(
        request,
        lambda: services.consultation_cancel(consultation=consultation, by=request.user),
        success=_("咨询已撤回。"),
    )
    return redirect(consultation.get_absolute_url())


@require_GET
def attachment_download(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    visible = Consultation.objects.visible_to(request.user).values("pk")
    attachment = object_or_404(Attachment.objects.filter(consultation__in=visible), pk=pk)
    services.audit(
        actor=request.user,
        action=AuditLog.Action.DOWNLOAD,
        consultation=attachment.consultation,
        detail=attachment.get_kind_display(),
    )
    return private_file_response(attachment.file, download_name=f"consultation-{attachment.consultation_id}-{pk}")


# --- Staff pages ---------------------------------------------------------------------------


@role_required("legal_aid.triage_consultation")
@require_GET
def triage(request):
    now = timezone.now()
    paginator = Paginator(selectors.triage_queue(now), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "legal_aid/triage.html",
        {
            "page_obj": page_obj,
            "now": now,
            "lawyers": list(LawyerProfile.objects.select_related("user", "firm")),
        },
    )


@role_required("lawyer")
def duty(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "confirm")
        if action == "accept":
            swap = object_or_404(ShiftSwap.objects.filter(to_lawyer__user=user), pk=request.POST.get("swap"))
            _run(request, lambda: services.swap_accept(swap=swap, by=user), success=_("已接受换班，待法律工作部审批。"))
            return redirect("legal_aid:duty")
        shift = object_or_404(DutyShift.objects.filter(lawyer__user=user), pk=request.POST.get("shift"))
        if action == "swap":
            colleague = object_or_404(LawyerProfile.objects.exclude(user=user), pk=request.POST.get("to_lawyer"))
            _run(
                request,
                lambda: services.swap_request(shift=shift, to_lawyer=colleague, by=user),
                success=_("已向%(lawyer)s发出换班申请。") % {"lawyer": colleague},
            )
        else:
            _run(request, lambda: services.shift_confirm(shift=shift, by=user), success=_("已确认值班。"))
        return redirect("legal_aid:duty")
    return render(
        request,
        "legal_aid/duty.html",
        {
            "shifts": selectors.lawyer_shifts(user),
            "queue": list(selectors.lawyer_queue(user)),
            "today": timezone.localdate(),
            "colleagues": list(LawyerProfile.objects.exclude(user=user).select_related("user")),
            "incoming": list(
                ShiftSwap.objects.filter(to_lawyer__user=user, status=ShiftSwap.Status.REQUESTED).select_related(
                    "shift__station", "shift__lawyer__user"
                )
            ),
        },
    )


@role_required("mediator")
@require_GET
def mediation(request):
    return render(request, "legal_aid/mediation.html", {"cases": list(selectors.mediator_cases(request.user))})


@login_required
def roster(request):
    if not (_is_officer(request.user) or StationMember.objects.current().filter(user=request.user).exists()):
        raise Http404
    if request.method == "POST":
        if not _is_officer(request.user):
            raise Http404
        swap = object_or_404(ShiftSwap.objects.all(), pk=request.POST.get("swap"))
        _run(request, lambda: services.swap_approve(swap=swap, by=request.user), success=_("已批准换班。"))
        return redirect("legal_aid:roster")
    pending = ShiftSwap.objects.filter(status=ShiftSwap.Status.ACCEPTED).select_related(
        "shift__station", "shift__lawyer__user", "to_lawyer__user"
    )
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=i) for i in range(14)]
    shifts = selectors.shifts_between(days[0], days[-1])
    grid: dict = {}
    for shift in shifts:
        grid.setdefault(shift.station, {}).setdefault(shift.date, []).append(shift)
    rows = [(station, [grid[station].get(day, []) for day in days]) for station in grid]
    return render(
        request,
        "legal_aid/roster.html",
        {"days": days, "rows": rows, "pending": list(pending) if _is_officer(request.user) else []},
    )


@login_required
def ledger_new(request):
    stations = _staff_stations(request.user)
    if not stations.exists():
        raise Http404
    form = LedgerForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_add(by=request.user, **{k: data[k] for k in form.Meta.fields})
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("台账已登记。"))
            return redirect("legal_aid:ledger_new")
    return render(request, "legal_aid/ledger_form.html", {"form": form})


@role_required("legal_aid.change_registration")
def event_checkin(request, pk: int):
    event = object_or_404(LegalEvent.objects.all(), pk=pk)
    if request.method == "POST":
        if "held" in request.POST:
            count = request.POST.get("head_count")
            _run(
                request,
                lambda: services.event_mark_held(
                    event=event, by=request.user, head_count=int(count) if str(count or "").isdigit() else None
                ),
                success=_("已登记为已举办。"),
            )
        else:
            registration = object_or_404(event.registrations.all(), pk=request.POST.get("registration"))
            _run(
                request,
                lambda: services.registration_check_in(registration=registration, by=request.user),
                success=_("已签到。"),
            )
        return redirect("legal_aid:event_checkin", pk=pk)
    registrations = event.registrations.exclude(status="cancelled").select_related("user").order_by("status", "pk")
    return render(
        request,
        "legal_aid/event_checkin.html",
        {"event": event, "registrations": registrations, "invitees": event.invitees.all()},
    )


# --- Cases ---------------------------------------------------------------------------------


def _staff_stations(user):
    """Open stations whose records this person keeps (all of them for legal officers)."""
    stations = LegalStation.objects.filter(status=LegalStation.Status.OPEN)
    if _is_officer(user):
        return stations
    return stations.filter(pk__in=StationMember.objects.current().filter(user=user).values("station_id"))


@login_required
def case_new(request):
    """Station staff or officers take in a dispute brought to the station in person."""
    stations = _staff_stations(request.user)
    if not stations.exists():
        raise Http404
    form = CaseIntakeForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                station=data["station"],
                applicants=[{"name": data["applicant_name"], "phone": data["applicant_phone"]}],
                respondent_name=data["respondent_name"],
                topic=data["topic"],
                claim=data["claim"],
                amount_claimed=data["amount_claimed"],
                arose_on=data["arose_on"],
                applied_on=timezone.localdate(),
                by=request.user,
                is_new_form=data["is_new_form"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已受理，案件编号 %(number)s。") % {"number": case.number})
            return redirect(case.get_absolute_url())
    return render(request, "legal_aid/case_form.html", {"form": form})


def _case(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    return object_or_404(DisputeCase.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def case_detail(request, pk: int):
    try:
        case = selectors.case_for(request.user, pk)
    except DisputeCase.DoesNotExist:
        raise Http404 from None
    services.audit(actor=request.user, action=AuditLog.Action.VIEW, case=case)
    user = request.user
    can_run = (
        _is_officer(user)
        or any(m.pk == user.pk for m in case.mediators.all())
        or (StationMember.objects.current().filter(station_id=case.station_id, user=user).exists())
    )
    allowed = services.CASE_TRANSITIONS.get(case.stage, ())
    today = timezone.localdate()
    return render(
        request,
        "legal_aid/case_detail.html",
        {
            "case": case,
            "can_run": can_run,
            "move_form": CaseMoveForm(allowed=allowed),
            "session_form": SessionForm(initial={"held_on": today}),
            "performance_form": PerformanceForm(initial={"performance": case.performance or None}),
            "mediator_form": MediatorForm() if _is_officer(user) and case.stage != "closed" else None,
            "today": today,
        },
    )


@require_POST
def case_move(request, pk: int):
    case = _case(request, pk)
    form = CaseMoveForm(request.POST, request.FILES, allowed=services.CASE_TRANSITIONS.get(case.stage, ()))
    if not form.is_valid():
        # An unreachable stage is not among the choices: say so in the service's words.
        stage = request.POST.get("to_stage", "")
        data = {"agreement_file": request.FILES.get("agreement_file")}
        _run(request, lambda: services.case_move(case=case, to_stage=stage, by=request.user, **data), success="")
        return redirect(case.get_absolute_url())
    data = dict(form.cleaned_data)
    stage = data.pop("to_stage")
    _run(
        request,
        lambda: services.case_move(case=case, to_stage=stage, by=request.user, **data),
        success=_("案件阶段已更新。"),
    )
    return redirect(case.get_absolute_url())


@require_POST
def case_mediator(request, pk: int):
    case = _case(request, pk)
    if not _is_officer(request.user):
        raise Http404
    form = MediatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择调解员。"))
    else:
        mediator = form.cleaned_data["mediator"]
        _run(
            request,
            lambda: services.case_mediator_assign(
                case=case, mediator=mediator, by=request.user, override_reason=form.cleaned_data["override_reason"]
            ),
            success=_("已指派调解员%(name)s。") % {"name": mediator.display_name},
        )
    return redirect(case.get_absolute_url())


@require_POST
def case_session(request, pk: int):
    case = _case(request, pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写调解日期、参加人员和笔录。"))
    else:
        _run(
            request,
            lambda: services.case_session_add(case=case, by=request.user, **form.cleaned_data),
            success=_("调解记录已保存。"),
        )
    return redirect(case.get_absolute_url())


@require_POST
def case_performance(request, pk: int):
    case = _case(request, pk)
    form = PerformanceForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.case_performance_set(case=case, by=request.user, **form.cleaned_data),
            success=_("履行情况已登记。"),
        )
    return redirect(case.get_absolute_url())


@require_GET
def case_file(request, pk: int, doc: int = 0):
    case = _case(request, pk)
    if doc:
        document = object_or_404(CaseDocument.objects.filter(case=case), pk=doc)
        field, name = document.file, f"{case.number}-{doc}"
    else:
        field, name = case.agreement_file, f"{case.number}-agreement"
    services.audit(actor=request.user, action=AuditLog.Action.DOWNLOAD, case=case, detail=name)
    return private_file_response(field, download_name=name)
