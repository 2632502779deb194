"""The applicant's pages: the steps that save a draft, their request, its papers and timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404
from apps.core.audit import audit_record
from apps.core.forms import form_errors_from, messages_from
from apps.core.models import AuditEntry
from apps.core.private_files import private_file_response
from apps.core.submissions import AlreadySubmitted, submission_once

from .. import selectors, services
from ..forms import AskForm, ConsentForm, DocumentForm, HardshipForm, HouseholdForm
from ..models import HelpRequest
from .staff import staff_context

STEPS = [
    (1, gettext_lazy("申请人与家庭")),
    (2, gettext_lazy("困难情况")),
    (3, gettext_lazy("申请帮扶")),
    (4, gettext_lazy("证明材料")),
    (5, gettext_lazy("同意并提交")),
]
FORMS = {1: HouseholdForm, 2: HardshipForm, 3: AskForm}


def index(request):
    mine = list(selectors.my_requests(request.user)[:10]) if request.user.is_authenticated else []
    return render(request, "assistance/index.html", {"mine": mine, "days": services.publicity_days()})


def _draft_data(form, *, new: bool = False):
    data = dict(form.cleaned_data)
    if not new:
        data.pop("worker_phone", None)  # who the request belongs to is settled by the first save
    if "filer" in data and not data["filer"]:
        data["filer"] = HelpRequest._meta.get_field("filer").default
    return data


@login_required
def request_new(request):
    """Step 1 of a new request: the first save makes the draft."""
    user = request.user
    initial = {"applicant_name": user.display_name, "phone": getattr(user, "phone", "") or "", "town": user.town_id}
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_once(request) as once:  # six taps on a slow phone make one draft
                draft = services.draft_save(user=user, **_draft_data(form, new=True))
                once.result(draft.get_absolute_url())
        except AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("草稿已保存，您可以随时回来继续填写。"))
            return redirect("assistance:step", draft.pk, 2)
    return render(request, "assistance/step.html", {"form": form, "step": 1, "steps": STEPS, "hr": None})


def _own(request, pk):
    return object_or_404(
        HelpRequest.objects.filter(applicant=request.user) | HelpRequest.objects.filter(filed_by=request.user), pk=pk
    )


@login_required
def request_step(request, pk: int, step: int):
    hr = _own(request, pk)
    if step not in dict(STEPS):
        raise Http404
    if not hr.editable:
        return redirect(hr.get_absolute_url())
    context = {"hr": hr, "step": step, "steps": STEPS}
    if step in FORMS:
        form = FORMS[step](request.POST or None, instance=hr)
        form.fields.pop("worker_phone", None)  # settled by the first save
        if request.method == "POST" and form.is_valid():
            try:
                services.draft_save(user=request.user, request=hr, **_draft_data(form))
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if "stay" in request.POST:
                    messages.success(request, _("草稿已保存。"))
                    return redirect(request.path)
                return redirect("assistance:step", hr.pk, step + 1)
        context["form"] = form
    elif step == 4:
        form = DocumentForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if "remove" in request.POST:
                doc = hr.documents.filter(pk=request.POST.get("remove") or 0).first()
                if doc is not None:
                    try:
                        services.document_remove(user=request.user, request=hr, document=doc)
                    except ValidationError as exc:
                        messages_from(request, exc)
                return redirect(request.path)
            if "next" in request.POST and not request.FILES:
                return redirect("assistance:step", hr.pk, 5)
            if form.is_valid():
                try:
                    services.document_add(user=request.user, request=hr, **form.cleaned_data)
                except ValidationError as exc:
                    form.add_error("file", exc.messages)
                else:
                    messages.success(request, _("材料已上传。"))
                    return redirect(request.path)
        context["form"] = form
        context["documents"] = list(hr.documents.all())
    else:
        form = ConsentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.request_submit(user=request.user, request=hr, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("申请已提交，承办工会会尽快初审，进度请在“我的”中查看。"))
                return redirect(hr.get_absolute_url())
        context.update(
            form=form,
            documents=list(hr.documents.all()),
            missing=services.missing_steps(hr),
            retention_days=services.retention_days(),
        )
    return render(request, "assistance/step.html", context)


@login_required
@require_GET
def request_detail(request, pk: int):
    hr = object_or_404(selectors.requests_visible(request.user).select_related("union", "town"), pk=pk)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=hr)
    context = {
        "hr": hr,
        "is_applicant": request.user.pk in (hr.applicant_id, hr.filed_by_id),
        "events": selectors.timeline(hr),
        "documents": list(hr.documents.all()),
        "ledger": selectors.ledger_rows(hr),
        "ledger_total": selectors.ledger_total(hr),
        "steps": STEPS,
    }
    context.update(staff_context(request, hr))
    return render(request, "assistance/request_detail.html", context)


@login_required
@require_GET
def request_timeline(request, pk: int):
    hr = object_or_404(selectors.requests_visible(request.user), pk=pk)
    audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=hr, detail=_("办理进程"))
    return render(request, "assistance/timeline.html", {"hr": hr, "events": selectors.timeline(hr)})


@require_GET
def document_download(request, pk: int):
    document = object_or_404(selectors.documents_visible(request.user).select_related("request"), pk=pk)
    audit_record(
        actor=request.user, action=AuditEntry.Action.DOWNLOAD, obj=document.request, detail=document.get_kind_display()
    )
    return private_file_response(document.file, download_name=f"help-{document.request_id}-{pk}")


@require_POST
@login_required
def request_withdraw(request, pk: int):
    """An applicant drops a draft they no longer need (nothing was submitted)."""
    hr = _own(request, pk)
    if hr.state != HelpRequest.State.DRAFT:
        messages.error(request, _("只有草稿可以删除。"))
        return redirect(hr.get_absolute_url())
    audit_record(actor=request.user, action=AuditEntry.Action.DELETE, obj=hr, detail=_("删除草稿"))
    for doc in hr.documents.all():
        doc.file.delete(save=False)
    hr.delete()
    messages.success(request, _("草稿已删除。"))
    return redirect("assistance:index")
