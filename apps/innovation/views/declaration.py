"""A worker's declaration in five steps, withdrawing it, and their own innovation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404
from apps.core.forms import form_errors_from, formset_errors_from, messages_from

from .. import selectors, services
from ..forms import AttachmentForm, ConsentForm, ProjectBasicsForm, ProjectContentForm, TeamFormSet
from ..models import Campaign, Project

# Lazy: the labels are read per request, in the visitor's language.
STEPS = [
    (1, gettext_lazy("基本信息")),
    (2, gettext_lazy("团队与份额")),
    (3, gettext_lazy("问题与效益")),
    (4, gettext_lazy("证明与附件")),
    (5, gettext_lazy("确认提交")),
]
EDITABLE = (Project.Status.DRAFT, Project.Status.RETURNED, Project.Status.RETURNED_FOR_FIX)
WITHDRAWABLE = [*EDITABLE, Project.Status.SUBMITTED, Project.Status.ENDORSED, Project.Status.SCREENED]


# --- Declaration --------------------------------------------------------------------------


def _own_project(request, pk: int) -> Project:
    return object_or_404(Project.objects.select_related("campaign", "category", "employer"), pk=pk, owner=request.user)


@login_required
def submit(request):
    """Step 1 of a new declaration: creates the draft."""
    initial = {"employer": request.user.employer_id}
    form = ProjectBasicsForm(request.POST or None, initial=initial)
    if not form.fields["campaign"].queryset.exists():
        return render(request, "innovation/submit_closed.html", {"campaigns": Campaign.objects.all()[:3]})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_draft_save(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("innovation:wizard", project.pk, 2)
    return render(request, "innovation/wizard.html", {"form": form, "step": 1, "steps": STEPS, "project": None})


@login_required
def wizard(request, pk: int, step: int):
    project = _own_project(request, pk)
    if step not in dict(STEPS):
        raise Http404
    if project.status not in EDITABLE:
        return redirect(project.get_absolute_url())
    context = {"project": project, "step": step, "steps": STEPS}
    following = step + 1
    if step == 1:
        form = ProjectBasicsForm(request.POST or None, instance=project)
        if request.method == "POST" and form.is_valid():
            try:
                services.project_draft_save(owner=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return _saved(request, project, following)
        context["form"] = form
    elif step == 2:
        initial = [
            {"name": m.name, "role": m.role, "share": m.share, "username": m.user.username if m.user else ""}
            for m in project.team.select_related("user")
        ] or [{"name": request.user.display_name, "role": "first", "share": 100, "username": request.user.username}]
        formset = TeamFormSet(request.POST or None, initial=initial)
        if request.method == "POST" and formset.is_valid():
            try:
                services.project_team_set(project=project, owner=request.user, members=formset.members())
            except ValidationError as exc:
                formset_errors_from(formset, exc)
            else:
                return _saved(request, project, following)
        context["formset"] = formset
    elif step == 3:
        form = ProjectContentForm(request.POST or None, instance=project)
        if request.method == "POST" and form.is_valid():
            try:
                services.project_draft_save(owner=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return _saved(request, project, following)
        context["form"] = form
    elif step == 4:
        form = AttachmentForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if "next" in request.POST and not request.FILES:
                return redirect("innovation:wizard", project.pk, following)
            if form.is_valid():
                try:
                    services.attachment_add(project=project, owner=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("附件已上传。"))
                    # 下一步 with a file chosen uploads it and goes on (it used to be dropped).
                    return redirect("innovation:wizard", project.pk, following if "next" in request.POST else 4)
        context["form"] = form
        context["attachments"] = project.attachments.all()
    else:
        if request.method == "POST":
            try:
                services.project_submit(project=project, owner=request.user)
            except ValidationError as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("项目已提交，等待单位工会推荐。"))
                return redirect(project.get_absolute_url())
        context["team"] = project.team.all()
        context["attachments"] = project.attachments.all()
    return render(request, "innovation/wizard.html", context)


def _saved(request, project, following):
    if "stay" in request.POST:
        messages.success(request, _("草稿已保存。"))
        return redirect(request.path)
    return redirect("innovation:wizard", project.pk, following)


@require_POST
@login_required
def withdraw(request, pk: int):
    project = _own_project(request, pk)
    try:
        services.project_withdraw(project=project, owner=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("项目已撤回。"))
    return redirect(project.get_absolute_url())


@login_required
def mine(request):
    form = ConsentForm(request.POST or None, initial={"show_name": selectors.shows_name_on_leaderboard(request.user)})
    if request.method == "POST" and form.is_valid():
        services.leaderboard_consent_set(user=request.user, show_name=form.cleaned_data["show_name"])
        messages.success(request, _("已保存。"))
        return redirect("innovation:mine")
    context = {
        "projects": selectors.my_projects(request.user),
        "history": selectors.points_history(request.user),
        "balance": selectors.points_balance(request.user),
        "form": form,
    }
    return render(request, "innovation/mine.html", context)
