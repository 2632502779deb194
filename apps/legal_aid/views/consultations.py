"""Consultations: the worker's form and page, and the handler's actions; private, 404 to others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.audit import audit_record
from apps.core.forms import form_errors_from
from apps.core.models import AuditEntry
from apps.core.private_files import private_file_response
from apps.core.submissions import AlreadySubmitted, submission_once

from .. import selectors, services
from ..forms import AnswerForm, AssignForm, CallbackForm, CloseForm, ConsultationForm, RateForm
from ..models import Attachment, Consultation, DisputeCase, LegalStation
from ..selectors import OFFICER
from .common import run_service


@login_required
def consultation_new(request):
    station_id = request.GET.get("station")
    station = LegalStation.objects.filter(pk=station_id).first() if str(station_id or "").isdigit() else None
    # Every station's free slots: the page shows those of the station chosen (data-station), and the
    # form says plainly when a slot and a station do not match (not 选择一个有效的选项).
    shifts = selectors.bookable_shifts(None)
    initial = {
        "station": station,
        "contact_name": request.user.display_name,
        "contact_phone": getattr(request.user, "phone", "") or "",
    }
    form = ConsultationForm(request.POST or None, request.FILES or None, shifts=shifts, initial=initial)
    if request.method == "POST" and form.is_valid():
        # 不确定，由工会分派: the slot's station, else the city station, whose officers triage it on.
        data = form.cleaned_data
        chosen = data["station"] or (data["shift"].station if data.get("shift") else None) or _intake_station()
        if chosen is None:
            form.add_error("station", _("目前没有开放的服务站，请拨打 12351 职工服务热线咨询。"))
        else:
            done = _consultation_submit(request, form, chosen)
            if done is not None:
                return done
    # Files cannot travel back into a file input: after an error the page says how many to choose again.
    dropped = len(request.FILES.getlist("attachments")) if request.method == "POST" else 0
    return render(
        request,
        "legal_aid/consultation_form.html",
        {
            "form": form,
            "station": station,
            "retention_days": services.retention_days(),
            "dropped_files": dropped,
            "error_fields": [form[name] for name in form.errors if name in form.fields],
        },
    )


def _consultation_submit(request, form, station):
    """Submit a valid form; the redirect to the new consultation, or None with the service's errors on the form."""
    data = form.cleaned_data
    callback_from, callback_to = form.callback_range()
    kind = data.get("attachment_kind") or Attachment.Kind.OTHER
    try:
        with submission_once(request) as once:  # a double tap on a slow phone makes one consultation
            consultation = services.consultation_submit(
                worker=request.user,
                station=station,
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
            once.result(consultation.get_absolute_url())
    except AlreadySubmitted as first:
        return redirect(first.url)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return None
    messages.success(request, _("咨询已提交，我们会在 %(n)s 个工作日内联系您。") % {"n": services.response_days()})
    return redirect(consultation.get_absolute_url())


def _intake_station():
    """Where a consultation with no station chosen is received: the open city station, else any open one."""
    open_stations = LegalStation.objects.filter(status=LegalStation.Status.OPEN)
    return (
        open_stations.filter(kind=LegalStation.Kind.FLAGSHIP).order_by("pk").first()
        or open_stations.order_by("pk").first()
    )


def _next_or(request, default: str) -> str:
    """Where a form asks to go back to (the triage or duty queue), if it is on this site; else ``default``."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _consultation(request, pk):
    return object_or_404(selectors.consultations_visible(request.user).select_related("lawyer__user"), pk=pk)


@login_required
@require_GET
def consultation_detail(request, pk: int):
    consultation = object_or_404(selectors.consultations_with_parts(request.user), pk=pk)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=consultation)
    user = request.user
    context = {
        "c": consultation,
        "is_worker": consultation.worker_id == user.pk,
        "is_handler": selectors.consultations_handled_by(user).filter(pk=consultation.pk).exists(),
        "can_triage": user_holds(user, OFFICER),
        "callback_form": CallbackForm(),
        "answer_form": AnswerForm(),
        "close_form": CloseForm(),
        "rate_form": RateForm(),
        "assign_form": AssignForm(),
        "case": getattr(consultation, "dispute_case", None) if consultation.outcome == "mediation" else None,
    }
    return render(request, "legal_aid/consultation_detail.html", context)


@require_POST
@role_required(OFFICER)
def consultation_assign(request, pk: int):
    consultation = _consultation(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择律师。"))
    else:
        run_service(
            request,
            lambda: services.consultation_assign(
                consultation=consultation,
                lawyer=form.cleaned_data["lawyer"],
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            ),
            success=_("已指派给%(lawyer)s。") % {"lawyer": form.cleaned_data["lawyer"]},
        )
    return redirect(_next_or(request, consultation.get_absolute_url()))


@require_POST
def consultation_callback(request, pk: int):
    consultation = _consultation(request, pk)
    form = CallbackForm(request.POST)
    if form.is_valid():
        run_service(
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
        run_service(
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
    done = run_service(
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
        run_service(
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
def consultation_no_show(request, pk: int):
    """The lawyer (or an officer) records that the worker did not come to the booked slot."""
    consultation = _consultation(request, pk)
    run_service(
        request,
        lambda: services.consultation_no_show(consultation=consultation, by=request.user),
        success=_("已登记 #%(pk)s 未到场。") % {"pk": consultation.pk},
    )
    return redirect(_next_or(request, consultation.get_absolute_url()))


@require_POST
def consultation_cancel(request, pk: int):
    consultation = _consultation(request, pk)
    run_service(
        request,
        lambda: services.consultation_cancel(consultation=consultation, by=request.user),
        success=_("咨询已撤回。"),
    )
    return redirect(consultation.get_absolute_url())


@require_GET
def attachment_download(request, pk: int):
    attachment = object_or_404(selectors.attachments_visible(request.user).select_related("consultation"), pk=pk)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.DOWNLOAD,
        obj=attachment.consultation,
        detail=attachment.get_kind_display(),
    )
    return private_file_response(attachment.file, download_name=f"consultation-{attachment.consultation_id}-{pk}")
