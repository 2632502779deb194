"""Dispute cases: intake by station staff, the case page and its actions; private, 404 to others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.audit import audit_record
from apps.core.forms import form_errors_from
from apps.core.models import AuditEntry
from apps.core.private_files import private_file_response

from .. import selectors, services
from ..forms import CaseIntakeForm, CaseMoveForm, MediatorForm, PerformanceForm, SessionForm
from ..selectors import OFFICER
from .common import open_stations_kept_by, run_service


@login_required
def case_new(request):
    """Station staff or officers take in a dispute brought to the station in person."""
    stations = open_stations_kept_by(request.user)
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
    return object_or_404(selectors.cases_visible(request.user), pk=pk)


@login_required
@require_GET
def case_detail(request, pk: int):
    case = object_or_404(selectors.cases_with_parts(request.user), pk=pk)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=case)
    user = request.user
    can_run = selectors.cases_run_by(user).filter(pk=case.pk).exists()
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
            "mediator_form": MediatorForm() if user_holds(user, OFFICER) and case.stage != "closed" else None,
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
        run_service(request, lambda: services.case_move(case=case, to_stage=stage, by=request.user, **data), success="")
        return redirect(case.get_absolute_url())
    data = dict(form.cleaned_data)
    stage = data.pop("to_stage")
    run_service(
        request,
        lambda: services.case_move(case=case, to_stage=stage, by=request.user, **data),
        success=_("案件阶段已更新。"),
    )
    return redirect(case.get_absolute_url())


@require_POST
@role_required(OFFICER)
def case_mediator(request, pk: int):
    case = _case(request, pk)
    form = MediatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择调解员。"))
    else:
        mediator = form.cleaned_data["mediator"]
        run_service(
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
        run_service(
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
        run_service(
            request,
            lambda: services.case_performance_set(case=case, by=request.user, **form.cleaned_data),
            success=_("履行情况已登记。"),
        )
    return redirect(case.get_absolute_url())


@require_GET
def case_file(request, pk: int, doc: int = 0):
    case = _case(request, pk)
    if doc:
        document = object_or_404(selectors.case_documents_visible(request.user).filter(case=case), pk=doc)
        field, name = document.file, f"{case.number}-{doc}"
    else:
        field, name = case.agreement_file, f"{case.number}-agreement"
    audit_record(actor=request.user, action=AuditEntry.Action.DOWNLOAD, obj=case, detail=name)
    return private_file_response(field, download_name=name)
