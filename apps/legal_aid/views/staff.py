"""Staff pages: triage, duty, mediation, roster, ledger and event check-in."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.roles import RoleRequired, object_or_404, role_required, user_holds
from apps.core.forms import form_errors_from
from apps.enrolment.models import Enrolment

from .. import selectors, services
from ..forms import LedgerForm
from ..models import DutyShift, LawyerProfile, LegalEvent, ShiftSwap
from ..selectors import OFFICER
from .common import PER_PAGE, open_stations_kept_by, run_service


@role_required(OFFICER)
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
            run_service(
                request, lambda: services.swap_accept(swap=swap, by=user), success=_("已接受换班，待法律工作部审批。")
            )
            return redirect("legal_aid:duty")
        shift = object_or_404(DutyShift.objects.filter(lawyer__user=user), pk=request.POST.get("shift"))
        if action == "swap":
            colleague = object_or_404(LawyerProfile.objects.exclude(user=user), pk=request.POST.get("to_lawyer"))
            run_service(
                request,
                lambda: services.swap_request(shift=shift, to_lawyer=colleague, by=user),
                success=_("已向%(lawyer)s发出换班申请。") % {"lawyer": colleague},
            )
        else:
            run_service(request, lambda: services.shift_confirm(shift=shift, by=user), success=_("已确认值班。"))
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
    """Station staff read the two-week roster; legal officers also approve swaps here."""
    officer = user_holds(request.user, OFFICER)
    if not (officer or selectors.stations_staffed_by(request.user).exists()):
        raise Http404
    if request.method == "POST":
        if not officer:
            raise RoleRequired(OFFICER)
        swap = object_or_404(ShiftSwap.objects.all(), pk=request.POST.get("swap"))
        run_service(request, lambda: services.swap_approve(swap=swap, by=request.user), success=_("已批准换班。"))
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
        {"days": days, "rows": rows, "pending": list(pending) if officer else []},
    )


@login_required
def ledger_new(request):
    stations = open_stations_kept_by(request.user)
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


@role_required(OFFICER)
def event_checkin(request, pk: int):
    event = object_or_404(LegalEvent.objects.all(), pk=pk)
    if request.method == "POST":
        if "held" in request.POST:
            count = request.POST.get("head_count")
            run_service(
                request,
                lambda: services.event_mark_held(
                    event=event, by=request.user, head_count=int(count) if str(count or "").isdigit() else None
                ),
                success=_("已登记为已举办。"),
            )
        else:
            registration = object_or_404(
                services.event_enrolments(event).select_related("roster", "person"), pk=request.POST.get("registration")
            )
            run_service(
                request,
                lambda: services.registration_check_in(registration=registration, by=request.user),
                success=_("已签到。"),
            )
        return redirect("legal_aid:event_checkin", pk=pk)
    registrations = (
        services.event_enrolments(event)
        .filter(state__in=Enrolment.LIVE)
        .select_related("person")
        .annotate(checked_in_at=Min("attendances__created_at"))
        .order_by("state", "pk")
    )
    return render(
        request,
        "legal_aid/event_checkin.html",
        {"event": event, "registrations": registrations, "invitees": event.invitees.all()},
    )
