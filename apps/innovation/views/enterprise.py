"""The enterprise union's pages: endorsing its employer's projects, posting and confirming technical problems."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.forms import messages_from

from .. import selectors, services
from ..forms import EndorseForm, ProblemForm, ReasonForm
from ..models import Project, TechProblem
from .officer import OFFICER

# --- Enterprise union ---------------------------------------------------------------------


@role_required("enterprise_union")
def endorse_queue(request):
    context = {
        "projects": selectors.endorse_queue(request.user),
        "endorse_form": EndorseForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "innovation/endorse_queue.html", context)


@require_POST
@role_required("enterprise_union")
def endorse_action(request, pk: int):
    project = object_or_404(Project.objects.all(), pk=pk, employer_id=request.user.employer_id)
    try:
        if request.POST.get("action") == "return":
            services.project_return(project=project, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回申报人修改。"))
        else:
            form = EndorseForm(request.POST)
            form.is_valid()
            services.project_endorse(
                project=project,
                by=request.user,
                note=form.cleaned_data.get("note", ""),
                public_consent=form.cleaned_data.get("public_consent", False),
            )
            messages.success(request, _("已推荐。"))
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect("innovation:endorse_queue")


@role_required("enterprise_union")
def problem_new(request):
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.problem_post(enterprise=request.user.employer, by=request.user, **form.cleaned_data)
        messages.success(request, _("难题已发布。"))
        return redirect("innovation:problems")
    return render(request, "innovation/problem_form.html", {"form": form})


@require_POST
@login_required
def problem_action(request, pk: int):
    problem = object_or_404(TechProblem.objects.all(), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "claim":
            worker = selectors.model_worker_of(request.user)
            if worker is None:
                raise PermissionDenied
            services.problem_claim(problem=problem, worker=worker, studio=worker.led_studios.first())
        elif action == "start":
            if problem.claimed_by_worker is None or problem.claimed_by_worker.user_id != request.user.pk:
                raise PermissionDenied
            services.problem_start(problem=problem)
        elif action == "confirm":
            services.problem_confirm_solved(problem=problem, by=request.user, outcome=request.POST.get("outcome", ""))
        elif action == "drop" and user_holds(request.user, OFFICER):
            services.problem_drop(problem=problem, reason=request.POST.get("reason", ""))
        else:
            raise PermissionDenied
        messages.success(request, _("已更新。"))
    except ValidationError as exc:
        messages_from(request, exc)
    # Back to the problem's own page when the action was taken there.
    if request.POST.get("from") == "problem":
        return redirect("innovation:problem", problem.pk)
    return redirect("innovation:problems")
