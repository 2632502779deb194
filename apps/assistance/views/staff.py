"""Casework: the queue (overdue re-checks first), each step's action, the Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404
from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from .. import selectors, services
from ..excel import export_workbook
from ..forms import (
    CheckForm,
    DecideForm,
    LedgerForm,
    PublicityForm,
    ReasonForm,
    RecheckForm,
    ScreenForm,
    VisitForm,
)
from ..models import HelpRequest, LedgerEntry
from ..services.common import staffed_union_ids

State = HelpRequest.State


def staff_context(request, hr) -> dict:
    """What the case page offers the person working it (nothing to the applicant or others)."""
    user = request.user
    caseworker = services.is_caseworker(user, hr)
    officer = services.is_officer(user)
    if not caseworker:
        return {"caseworker": False, "officer": False}
    today = timezone.localdate()
    context = {
        "caseworker": True,
        "officer": officer,
        "visit": getattr(hr, "visit", None) if hr.state not in (State.DRAFT, State.SUBMITTED) else None,
        "objections": list(selectors.objections_visible(user).filter(request=hr).select_related("by")),
        "publicity_over": hr.publicity_until is not None and today > hr.publicity_until,
    }
    forms = {
        State.SUBMITTED: {"screen_form": ScreenForm()},
        State.ACCEPTED: {"visit_form": VisitForm(initial={"visited_on": today})},
        State.VISITED: {"check_form": CheckForm()} if officer else {},
        State.CHECKED: {"publicity_form": PublicityForm()} if officer else {},
        State.PUBLICITY: {"decide_form": DecideForm(initial={"band": hr.band, "help_kind": hr.help_kind})}
        if officer
        else {},
    }
    context.update(forms.get(hr.state, {}))
    if officer and hr.state in (State.SUBMITTED, State.ACCEPTED, State.VISITED, State.CHECKED, State.PUBLICITY):
        context["refuse_form"] = ReasonForm()
    if hr.state in (State.DECIDED, State.HELPED, State.FOLLOW_UP):
        context["recheck_form"] = RecheckForm()
        if officer:
            context["ledger_form"] = LedgerForm(initial={"date": today, "kind": LedgerEntry.Kind.CASH})
            context["reverse_form"] = ReasonForm()
            context["close_form"] = ReasonForm()
    return context


def _case(request, pk):
    """A case the person works (its applicant and strangers get 404 here too)."""
    hr = object_or_404(selectors.requests_visible(request.user), pk=pk)
    if not services.is_caseworker(request.user, hr):
        raise Http404
    return hr


def _run(request, hr, action, success):
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(hr.get_absolute_url())


def _invalid(request, hr, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(hr.get_absolute_url())


@login_required
def queue(request):
    user = request.user
    if not services.is_officer(user) and not staffed_union_ids(user):
        raise Http404
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    today = timezone.localdate()
    rows = list(selectors.queue(user, state=state, today=today)[:200])
    audit_record(actor=user, action=AuditEntry.Action.VIEW, detail=_("帮扶办理队列"))
    context = {
        "rows": rows,
        "state": state,
        "states": [c for c in State.choices if c[0] != State.DRAFT],
        "today": today,
        "officer": services.is_officer(user),
    }
    return render(request, "assistance/queue.html", context)


@login_required
def export(request):
    if not services.is_officer(request.user):
        raise Http404
    audit_record(actor=request.user, action=AuditEntry.Action.DOWNLOAD, detail=_("导出帮扶档案"))
    rows = selectors.requests_visible(request.user).exclude(state=State.DRAFT)
    return export_workbook(rows).response(f"help-requests-{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
@login_required
def screen(request, pk: int):
    hr = _case(request, pk)
    form = ScreenForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    accept = form.cleaned_data["decision"] == "accept"
    return _run(
        request,
        hr,
        lambda: services.screen(request=hr, by=request.user, accept=accept, reason=form.cleaned_data["reason"]),
        _("初审通过。") if accept else _("已退回申请人补充。"),
    )


@require_POST
@login_required
def visit(request, pk: int):
    hr = _case(request, pk)
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.visit_record(request=hr, by=request.user, **form.cleaned_data),
        _("入户调查已记录。"),
    )


@require_POST
@login_required
def check(request, pk: int):
    hr = _case(request, pk)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.check_record(request=hr, by=request.user, **form.cleaned_data),
        _("核对结果已登记。"),
    )


@require_POST
@login_required
def publicity_open(request, pk: int):
    hr = _case(request, pk)
    form = PublicityForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.publicity_open(request=hr, by=request.user, **form.cleaned_data),
        _("公示已开始。"),
    )


@require_POST
@login_required
def decide(request, pk: int):
    hr = _case(request, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request, hr, lambda: services.decide(request=hr, by=request.user, **form.cleaned_data), _("已认定帮扶。")
    )


@require_POST
@login_required
def refuse(request, pk: int):
    hr = _case(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.refuse(request=hr, by=request.user, reason=form.cleaned_data["reason"]),
        _("已作出不予帮扶的决定。"),
    )


@require_POST
@login_required
def ledger_add(request, pk: int):
    hr = _case(request, pk)
    form = LedgerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request, hr, lambda: services.help_record(request=hr, by=request.user, **form.cleaned_data), _("发放已登记。")
    )


@require_POST
@login_required
def ledger_reverse(request, pk: int, entry: int):
    hr = _case(request, pk)
    row = object_or_404(LedgerEntry.objects.filter(request=hr), pk=entry)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.help_reverse(entry=row, by=request.user, reason=form.cleaned_data["reason"]),
        _("已登记冲正记录。"),
    )


@require_POST
@login_required
def recheck(request, pk: int):
    hr = _case(request, pk)
    form = RecheckForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    still = form.cleaned_data["still_eligible"] == "yes"
    return _run(
        request,
        hr,
        lambda: services.recheck_record(
            request=hr, by=request.user, still_eligible=still, note=form.cleaned_data["note"]
        ),
        _("年度复核已记录。"),
    )


@require_POST
@login_required
def close(request, pk: int):
    hr = _case(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, hr, form)
    return _run(
        request,
        hr,
        lambda: services.close(request=hr, by=request.user, reason=form.cleaned_data["reason"]),
        _("已结案。"),
    )
