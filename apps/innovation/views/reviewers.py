"""The expert reviewer's queue and review page (scores, recusal, others' reviews as the phase allows)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.roles import object_or_404, role_required
from apps.core.forms import form_errors_from, messages_from

from .. import selectors, services
from ..forms import ReasonForm, ReviewForm
from ..models import Review, ReviewAssignment

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
