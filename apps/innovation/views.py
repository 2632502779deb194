"""Thin views of the innovation app: read through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.forms import form_errors_from, messages_from
from apps.core.pagecache import public_fragment
from apps.core.private_files import private_file_response

from . import selectors, services
from .forms import (
    AssignForm,
    AttachmentForm,
    ConsentForm,
    DecisionForm,
    EndorseForm,
    ObjectionForm,
    ProblemForm,
    ProjectBasicsForm,
    ProjectContentForm,
    PublicityForm,
    ReasonForm,
    ResolveForm,
    ReviewForm,
    TeamFormSet,
)
from .models import (
    PHASE_ORDER,
    REVIEW_PHASES,
    AwardLevel,
    Campaign,
    ModelWorker,
    Objection,
    Phase,
    Project,
    Publicity,
    Review,
    ReviewAssignment,
    TechProblem,
)

OFFICER = "innovation_officer"
STEPS = [(1, _("基本信息")), (2, _("团队与份额")), (3, _("问题与效益")), (4, _("证明与附件")), (5, _("确认提交"))]
EDITABLE = (Project.Status.DRAFT, Project.Status.RETURNED, Project.Status.RETURNED_FOR_FIX)
WITHDRAWABLE = [*EDITABLE, Project.Status.SUBMITTED, Project.Status.ENDORSED, Project.Status.SCREENED]


# --- Public -------------------------------------------------------------------------------


@require_GET
def index(request):
    # The same for every visitor: built once per page-cache generation, language and day.
    today = timezone.localdate()
    context = public_fragment(
        f"innovation-index:{get_language()}:{today.isoformat()}", lambda: selectors.index_page(today)
    )
    return render(request, "innovation/index.html", context)


@require_GET
def project_detail(request, pk: int):
    try:
        project = selectors.project_public(pk)
        public = True
    except Http404:
        # Not public: the page of a private record, for those who may see it; 404 for everyone else.
        project = object_or_404(selectors.projects_visible_to(request.user), pk=pk)
        public = False
    context = {"project": project, "public": public, "withdrawable": WITHDRAWABLE}
    if not public:
        context["team"] = project.team.all()
        context["attachments"] = project.attachments.all()
        context["events"] = project.events.select_related("actor")
    return render(request, "innovation/project_detail.html", context)


@login_required
def attachment_download(request, pk: int):
    attachment = object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    return private_file_response(attachment.file, download_name=attachment.title)


def publicity(request, year: int):
    campaign = object_or_404(Campaign.objects.all(), year=year)
    pub = Publicity.objects.filter(campaign=campaign).first()
    if pub is None:
        raise Http404
    projects = selectors.publicity_projects(campaign)
    form = None
    if request.user.is_authenticated:
        form = ObjectionForm(request.POST or None, projects=projects)
        if request.method == "POST" and form.is_valid():
            try:
                services.objection_file(
                    project=form.cleaned_data["project"], by=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("异议已提交，经济技术部将逐条处理并答复。"))
                return redirect(request.path)
    context = {"campaign": campaign, "publicity": pub, "projects": projects, "form": form}
    return render(request, "innovation/publicity.html", context)


@require_GET
def problems(request):
    context = {
        "problems": selectors.open_problems(limit=50),
        "worker": ModelWorker.objects.filter(user=request.user).first() if request.user.is_authenticated else None,
        "can_post": user_holds(request.user, "enterprise_union") and request.user.employer_id,
    }
    return render(request, "innovation/problems.html", context)


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
                formset._non_form_errors = formset.error_class(exc.messages)
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
                    return redirect("innovation:wizard", project.pk, 4)
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
            worker = ModelWorker.objects.filter(user=request.user).first()
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
    return redirect("innovation:problems")


# --- Reviewers ----------------------------------------------------------------------------


@role_required("reviewer")
def reviews(request):
    queue = list(selectors.reviewer_queue(request.user))
    return render(request, "innovation/reviews.html", {"queue": queue})


@role_required("reviewer")
def review(request, pk: int):
    assignment = object_or_404(
        ReviewAssignment.objects.select_related("project__campaign", "project__category", "project__employer"),
        pk=pk,
        reviewer=request.user,
    )
    project = assignment.project
    campaign = project.campaign
    setting = services.phase_setting(campaign, assignment.phase)
    context = {"assignment": assignment, "project": project, "setting": setting}
    if assignment.is_recused:
        # A recused reviewer sees nothing of the scores, theirs or anyone else's.
        return render(request, "innovation/review.html", context)
    criteria = list(campaign.criteria.all())
    own = selectors.own_review(assignment)
    form = ReviewForm(request.POST or None, criteria=criteria, review=own)
    recuse_form = ReasonForm(prefix="recuse")
    if request.method == "POST":
        if "recuse" in request.POST:
            recuse_form = ReasonForm(request.POST, prefix="recuse")
            if recuse_form.is_valid():
                try:
                    services.assignment_recuse(
                        assignment=assignment, reviewer=request.user, reason=recuse_form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    messages_from(request, exc)
                else:
                    messages.success(request, _("已回避，该项目的评分对您不再可见。"))
                    return redirect("innovation:review", pk)
        elif form.is_valid():
            try:
                services.review_save(
                    assignment=assignment,
                    reviewer=request.user,
                    scores=form.scores(),
                    options=form.options(),
                    private_comment=form.cleaned_data["private_comment"],
                    feedback=form.cleaned_data["feedback"],
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("评审已提交。") if "submit" in request.POST else _("草稿已保存。"))
                return redirect("innovation:review", pk)
    own_submitted = own is not None and own.status == Review.Status.SUBMITTED
    others = selectors.others_reviews(assignment) if setting.others_visible(own_submitted=own_submitted) else []
    context.update(
        {
            "form": form,
            "recuse_form": recuse_form,
            "own": own,
            "others": others,
            "criteria": criteria,
            "editable": setting.reviewers_write
            and campaign.phase == assignment.phase
            and not (own and (own.locked or own_submitted)),
            "team": [] if setting.hide_identity else project.team.all(),
            "attachments": project.attachments.all(),
        }
    )
    return render(request, "innovation/review.html", context)


# --- Officer ------------------------------------------------------------------------------


@role_required(OFFICER)
def manage(request):
    return render(request, "innovation/manage.html", {"campaigns": selectors.campaigns_with_progress()})


def _campaign(pk) -> Campaign:
    return object_or_404(Campaign.objects.all(), pk=pk)


@role_required(OFFICER)
def manage_campaign(request, pk: int):
    campaign = _campaign(pk)
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress(campaign),
        "screening": selectors.screening_queue(campaign),
        "matrix": selectors.assignment_matrix(campaign),
        "reviewers": selectors.reviewer_pool(),
        "reason_form": ReasonForm(),
        "publicity": Publicity.objects.filter(campaign=campaign).first(),
        "objections": selectors.objections_for(campaign),
        "resolve_form": ResolveForm(),
        "publicity_form": PublicityForm(initial={"starts": timezone.localdate()}),
        "phases": Phase.choices,
    }
    return render(request, "innovation/manage_campaign.html", context)


@require_POST
@role_required(OFFICER)
def manage_action(request, pk: int, action: str):
    """Every officer button of a campaign page posts here; the service decides whether it may happen."""
    campaign = _campaign(pk)
    user = request.user
    target = reverse("innovation:manage_campaign", args=[pk])
    try:
        if action == "advance":
            campaign = services.campaign_phase_advance(campaign=campaign, by=user)
            messages.success(request, _("已进入“%(phase)s”阶段。") % {"phase": campaign.get_phase_display()})
        elif action == "screen":
            project = object_or_404(campaign.projects.all(), pk=request.POST.get("project"))
            services.project_screen(project=project, by=user)
            messages.success(request, _("已通过形式审查：%(t)s") % {"t": project.title})
        elif action == "return":
            project = object_or_404(campaign.projects.all(), pk=request.POST.get("project"))
            services.project_return(project=project, by=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回修改：%(t)s") % {"t": project.title})
        elif action == "auto_assign":
            phase = campaign.phase if campaign.phase in REVIEW_PHASES else Phase.EXPERT_REVIEW
            result = services.assignments_auto(campaign=campaign, by=user, phase=phase)
            messages.success(request, _("自动指派 %(n)s 人次。") % {"n": result["created"]})
            if result["short"]:
                messages.warning(request, _("%(n)s 个项目的可用专家不足。") % {"n": len(result["short"])})
        elif action == "assign":
            project = object_or_404(campaign.projects.all(), pk=request.POST.get("project"))
            form = AssignForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择评审专家。"))
            services.assignment_create(project=project, reviewer=form.cleaned_data["reviewer"], by=user)
            messages.success(request, _("已指派。"))
        elif action == "rank":
            n = services.ranking_compute(campaign=campaign, phase=_ranking_phase(campaign))
            messages.success(request, _("已计算 %(n)s 个项目的排名。") % {"n": n})
            target = reverse("innovation:ranking", args=[pk])
        elif action == "decide":
            project = object_or_404(campaign.projects.all(), pk=request.POST.get("project"))
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择评定等级。"))
            services.decision_record(project=project, by=user, **form.cleaned_data)
            messages.success(request, _("已记录评定：%(t)s") % {"t": project.title})
            target = f"{reverse('innovation:ranking', args=[pk])}?category={project.category_id}"
        elif action == "publicity":
            form = PublicityForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写公示开始日期。"))
            services.publicity_open(campaign=campaign, by=user, starts=form.cleaned_data["starts"])
            messages.success(request, _("公示已开始。"))
        elif action == "resolve":
            objection = object_or_404(
                Objection.objects.filter(publicity__campaign=campaign), pk=request.POST.get("objection")
            )
            form = ResolveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写处理意见。"))
            services.objection_resolve(objection=objection, by=user, **form.cleaned_data)
            messages.success(request, _("异议已处理。"))
        elif action == "publish":
            awards = services.awards_publish(campaign=campaign, by=user)
            messages.success(request, _("表彰已发布，共 %(n)s 项。") % {"n": len(awards)})
        else:
            raise Http404
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect(target)


def _ranking_phase(campaign: Campaign) -> str:
    """The ranking of 复审/答辩 once that phase has begun, else that of 专家评审."""
    if campaign.phase == Phase.FINAL_REVIEW or (
        PHASE_ORDER.index(campaign.phase) > PHASE_ORDER.index(Phase.FINAL_REVIEW)
        and campaign.projects.filter(rankings__phase=Phase.FINAL_REVIEW).exists()
    ):
        return Phase.FINAL_REVIEW
    return Phase.EXPERT_REVIEW


@role_required(OFFICER)
def ranking(request, pk: int):
    campaign = _campaign(pk)
    # One category at a time: awards are decided within a category, and a 500-project table
    # of forms is too heavy for a phone.
    phase = _ranking_phase(campaign)
    categories = selectors.ranking_categories(campaign, phase)
    try:
        selected = int(request.GET.get("category", ""))
    except ValueError:
        selected = categories[0][0] if categories else None
    rows = list(selectors.ranking(campaign, phase, category_id=selected)) if categories else []
    groups: dict = {}
    for row in rows:
        # Read the reverse one-to-one once here: a missing decision raises in every template lookup.
        row.decision = getattr(row.project, "decision", None)
        groups.setdefault(row.project.category, []).append(row)
    context = {
        "campaign": campaign,
        "groups": groups.items(),
        "levels": AwardLevel.choices,
        "phase_label": dict(Phase.choices)[phase],
        "categories": categories,
        "selected": selected,
        "decide_url": reverse("innovation:manage_action", args=[campaign.pk, "decide"]),
        "open_objections": services.open_objections_count(campaign),
    }
    return render(request, "innovation/ranking.html", context)
