"""Public pages and private records: the index, a project, attachments, the 公示, technical problems."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.roles import object_or_404, user_holds
from apps.core.forms import form_errors_from
from apps.core.pagecache import public_fragment
from apps.core.private_files import private_file_response

from .. import selectors, services
from ..forms import ObjectionForm
from ..models import Campaign, TechProblem
from .declaration import WITHDRAWABLE

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
    pub = selectors.publicity_of(campaign)
    if pub is None:
        # The year's address exists before its 公示 starts: say so rather than answer 404.
        return render(request, "innovation/publicity.html", {"campaign": campaign, "publicity": None})
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
        "worker": selectors.model_worker_of(request.user),
        "can_post": user_holds(request.user, "enterprise_union") and request.user.employer_id,
    }
    return render(request, "innovation/problems.html", context)


@require_GET
def problem_detail(request, pk: int):
    """One technical problem: what it is, whom to contact, and 我要揭榜 for those who may take it on."""
    problem = object_or_404(
        TechProblem.objects.select_related("enterprise", "posted_by", "claimed_by_studio", "claimed_by_worker"), pk=pk
    )
    context = {"p": problem, "worker": selectors.model_worker_of(request.user)}
    return render(request, "innovation/problem_detail.html", context)
