from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.forms import form_errors_from, messages_from
from apps.core.pagecache import public_fragment

from . import selectors, services
from .excel import plan_export_response
from .forms import RatingForm, ReportForm, ReturnForm
from .models import Indicator, Item, ProgressReport
from .services import VERIFY_PERMISSION


def _year_context(plan, plans):
    """The year page: the plan's progress and the years of every published plan (the plans are
    read once, with the plan itself; linked metrics come from their short cache)."""
    return {
        "plan": plan,
        # The same for every visitor: computed once per page-cache generation and day.
        "progress": public_fragment(
            f"tenthings-plan:{plan.pk}:{timezone.localdate().isoformat()}",
            lambda: selectors.plan_progress(plan, cached_metrics=True),
        ),
        "years": [p.year for p in plans],
        "years_url": reverse("tenthings:current"),  # + "2024/": one reverse, not one per year
    }


def current(request):
    """This year's plan, or the latest published one (said so on the page)."""
    today = timezone.localdate()
    plans = selectors.plans_published()
    plan = selectors.plan_pick(plans, today=today)
    if plan is None:
        return render(request, "tenthings/plan_detail.html", {"plan": None, "years": [], "this_year": today.year})
    context = _year_context(plan, plans)
    context.update({"is_current": True, "this_year": today.year})
    return render(request, "tenthings/plan_detail.html", context)


def year_detail(request, year):
    plans = selectors.plans_published()
    plan = selectors.plan_pick(plans, year=year)
    if plan is None:
        raise Http404("no published plan for this year")
    return render(request, "tenthings/plan_detail.html", _year_context(plan, plans))


def item_detail(request, year, number):
    asked = request.GET.get("page")
    if request.user.is_authenticated:
        page = selectors.item_page(year, number, user=request.user, page=asked)
    else:
        # Without a visitor there is nothing personal in it: shared by every anonymous visitor
        # until a write refreshes the pages (apps/core/pagecache.py).
        today = timezone.localdate().isoformat()
        name = f"tenthings-item-page:{get_language()}:{year}:{number}:{(asked or '1')[:12]}:{today}"
        page = public_fragment(name, lambda: selectors.item_page(year, number, user=None, page=asked))
    item = page.progress.item
    signed_in = request.user.is_authenticated
    context = {
        "plan": page.plan,
        "page": page,
        "item": item,
        "is_responsible": signed_in and item.responsible_id == request.user.pk,
        # Verifiers may withdraw a verified figure, with a reason (never delete it).
        # (by role name: read once with the navigation, no permission query of its own)
        "can_withdraw": signed_in and user_holds(request.user, ("tenthings_verifier",)),
    }
    if signed_in:
        # Only signed-in visitors get the forms that post; an anonymous page holds nothing per-user.
        context["rating_form"] = RatingForm(initial={"stars": page.my_stars or 5, "change": page.my_stars is not None})
    return render(request, "tenthings/item_detail.html", context)


def _not_responsible(request, item):
    """A 403 page that says who reports on this item and how to reach them."""
    return render(request, "tenthings/not_responsible.html", {"item": item, "plan": item.plan}, status=403)


@login_required
def report_create(request, year, number):
    """The responsible person of an item reports progress; anyone else is told who does (403)."""
    plan = selectors.plan_published_get(year)
    item = selectors.item_for_report(plan, number)
    if item.responsible_id != request.user.pk:
        return _not_responsible(request, item)
    form = ReportForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_submit(
                indicator=data["indicator"],
                reporter=request.user,
                reported_on=data["reported_on"],
                narrative=data["narrative"],
                amount=data["amount"],
                milestone_done=data["milestone_done"],
                photos=data["photos"],
                attachment=data["attachment"],
                late_reason=data["late_reason"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("进展已提交，等待工作人员核实。"))
            return redirect("tenthings:report", year=year, number=number)
    return render(
        request,
        "tenthings/report_form.html",
        {
            "plan": plan,
            "item": item,
            "form": form,
            "reports": selectors.reports_of_reporter(request.user, item),
            "indicators": selectors.report_context(item),
        },
    )


@login_required
def mine(request):
    """我的填报: a reporter's own reports by date, and the items they report on."""
    return render(
        request,
        "tenthings/my_reports.html",
        {
            "reports": selectors.my_reports(request.user, request.GET.get("page")),
            "items": selectors.items_to_report(request.user),
        },
    )


@login_required
@require_POST
def rate(request, year, number):
    plan = selectors.plan_published_get(year)
    item = get_object_or_404(Item, plan=plan, number=number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择 1 到 5 星。"))
    else:
        service = services.rating_change if form.cleaned_data["change"] else services.rating_add
        try:
            service(item=item, user=request.user, stars=form.cleaned_data["stars"])
        except ValidationError as exc:
            messages_from(request, exc)
        else:
            messages.success(request, _("感谢您的评价！"))
    return redirect(item.get_absolute_url() + "#rating")


@login_required
@require_POST
def follow(request, year, number):
    plan = selectors.plan_published_get(year)
    item = get_object_or_404(Item, plan=plan, number=number)
    now_following = services.follow_set(item=item, user=request.user, follow=request.POST.get("follow") == "1")
    messages.success(request, _("已关注，有新进展时会通知您。") if now_following else _("已取消关注。"))
    return redirect(item.get_absolute_url())


@role_required(VERIFY_PERMISSION)
def review_list(request):
    """Staff page: reports waiting to be verified or returned."""
    return render(request, "tenthings/review_list.html", {"reports": selectors.reports_pending(), "form": ReturnForm()})


@role_required(VERIFY_PERMISSION)
@require_POST
def review_decide(request, pk):
    report = get_object_or_404(ProgressReport, pk=pk)
    try:
        if request.POST.get("decision") == "verify":
            services.report_verify(report=report, reviewer=request.user)
            messages.success(request, _("已核实：%(report)s") % {"report": report})
        else:
            services.report_return(report=report, reviewer=request.user, comment=request.POST.get("review_comment", ""))
            messages.success(request, _("已退回：%(report)s") % {"report": report})
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect("tenthings:review")


@role_required(VERIFY_PERMISSION)
@require_POST
def report_withdraw(request, pk):
    """A verifier withdraws a verified report with a reason; it stays on record, visibly."""
    report = get_object_or_404(ProgressReport.objects.select_related("indicator__item__plan"), pk=pk)
    try:
        services.report_withdraw(report=report, actor=request.user, reason=request.POST.get("withdraw_reason", ""))
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("已撤回：%(report)s") % {"report": report})
    return redirect(report.indicator.item.get_absolute_url() + "#timeline")


@role_required(VERIFY_PERMISSION)
@require_POST
def linked_snapshot(request, pk):
    """A verifier confirms a linked indicator's figure as it stands today."""
    indicator = get_object_or_404(Indicator.objects.select_related("item__plan"), pk=pk)
    try:
        snapshot = services.linked_snapshot_verify(indicator=indicator, actor=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("已核实：%(report)s") % {"report": snapshot})
    return redirect(indicator.item.get_absolute_url())


@role_required("tenthings.view_plan")
def plan_export_view(request, year):
    """The year's plan as Excel: visible exactly where its page is (an unpublished plan is 404
    here too; staff drafting one export it from the admin)."""
    return plan_export_response(selectors.plan_published_get(year))


@login_required
def report_attachment(request, pk):
    """A report's attachment, to its reporter and to verifiers only (404 for anyone else), as a download."""
    from apps.core.private_files import private_file_response

    visible = ProgressReport.objects.exclude(attachment="")
    if not user_holds(request.user, VERIFY_PERMISSION):
        visible = visible.filter(reporter=request.user)
    report = object_or_404(visible, pk=pk)
    return private_file_response(report.attachment, download_name=f"report-{report.pk}")
