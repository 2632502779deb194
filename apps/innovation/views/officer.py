"""The innovation officer's pages: campaigns, screening, assignments, ranking, decisions, the 公示, awards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404, role_required
from apps.core.forms import messages_from

from .. import selectors, services
from ..forms import AssignForm, DecisionForm, PublicityForm, ReasonForm, ResolveForm
from ..models import PHASE_ORDER, REVIEW_PHASES, AwardLevel, Campaign, Objection, Phase, Project

OFFICER = "innovation_officer"


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
        "publicity": selectors.publicity_of(campaign),
        "objections": selectors.objections_for(campaign),
        "resolve_form": ResolveForm(),
        "publicity_form": PublicityForm(initial={"starts": timezone.localdate()}),
        # 开始公示 is offered only when it can work: some project decided with an award.
        "publicity_ready": selectors.publicity_ready(campaign),
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


DECIDABLE = (Project.Status.RANKED, Project.Status.DECIDED, Project.Status.PUBLICITY)


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
    missing = selectors.reviews_missing(campaign, phase) if rows else {}
    groups: dict = {}
    for row in rows:
        # Read the reverse one-to-one once here: a missing decision raises in every template lookup.
        row.decision = getattr(row.project, "decision", None)
        # 评定 only where it can be recorded; otherwise say what is still missing.
        row.missing = missing.get(row.project_id, 0)
        row.decidable = row.project.status in DECIDABLE and campaign.phase != Phase.PUBLISHED
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
