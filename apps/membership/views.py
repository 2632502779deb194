"""Membership pages: thin — each reads through a selector and writes through a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import object_or_404, role_required
from apps.core.forms import form_errors_from, messages_from

from . import selectors, services
from .apps import DECIDE
from .forms import ImportForm, JoinForm, ReasonForm, ReferForm, SetupMoveForm, SetupRequestForm, TransferForm
from .models import Application, Member
from .qr import qr_svg

QUEUE_PAGE = 30
MEMBERS_PAGE = 50


def _private(response):
    """Personal pages and the verify answer: never kept by a browser, a proxy or the page cache."""
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def join(request):
    mine = selectors.my_membership(request.user)
    if mine.member is not None and mine.member.is_current:
        messages.info(request, _("您已是工会会员。"))
        return redirect("membership:card")
    last = mine.application
    if last is not None and last.is_open:
        return render(request, "membership/join_waiting.html", {"application": last})
    user = request.user
    initial = {
        "real_name": user.real_name,
        "occupation": user.occupation,
        "town": user.town_id,
        "employer": user.employer_id,
    }
    if last is not None and last.state == Application.State.RETURNED:  # correcting a returned one
        initial = {
            "real_name": last.real_name,
            "occupation": last.occupation,
            "town": last.town_id,
            "employer": last.employer_id,
            "employer_name": last.employer_name,
        }
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                person=user,
                real_name=data["real_name"],
                employer=data["employer"],
                employer_name=data["employer_name"],
                occupation=data["occupation"],
                town=data["town"],
                consent=data["consent"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("申请已提交，由%(union)s在 %(due)s 前办理。")
                % {"union": application.union.name, "due": application.due_on},
            )
            return redirect("accounts:me")
    return render(
        request,
        "membership/join.html",
        {
            "form": form,
            "returned": last if last and last.state == Application.State.RETURNED else None,
            "days": services.decision_days(),
        },
    )


@login_required
def card(request):
    mine = selectors.my_membership(request.user)
    member = mine.member
    if member is None or not member.is_current:
        messages.info(request, _("您还不是工会会员，请先申请入会。"))
        return redirect("membership:join")
    token = services.card_token(member)
    verify_url = settings.SITE_URL.rstrip("/") + reverse("membership:verify", args=[token])
    issued = timezone.localtime()
    context = {
        "member": member,
        "mine": mine,
        "qr": mark_safe(qr_svg(verify_url)),  # noqa: S308 — our own SVG, drawn from our own URL
        "verify_url": verify_url,
        "issued": issued,
        "expires": issued + services.CARD_MAX_AGE,
        # The page renews its code well before it expires, so a screenshot goes stale.
        "refresh_seconds": 600,
    }
    return _private(render(request, "membership/card.html", context))


def verify(request, token: str):
    check = services.card_verify(token)
    response = render(request, "membership/verify.html", {"check": check}, status=200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return _private(response)


@login_required
def transfer_new(request):
    mine = selectors.my_membership(request.user)
    member = mine.member
    if member is None or not member.is_current:
        messages.info(request, _("您还不是工会会员，请先申请入会。"))
        return redirect("membership:join")
    form = TransferForm(request.POST or None, initial={"town": member.town_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.transfer_request(
                member=member,
                by=request.user,
                new_employer=data["employer"],
                new_employer_name=data["employer_name"],
                town=data["town"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("接转申请已提交，待%(union)s接收。") % {"union": transfer.to_union.name})
            return redirect("membership:card")
    return render(request, "membership/transfer_form.html", {"form": form, "member": member, "mine": mine})


@login_required
def setup_new(request):
    form = SetupRequestForm(request.POST or None, initial={"town": request.user.town_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            setup = services.setup_request_submit(by=request.user, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("建会申请已提交，由%(union)s在 %(due)s 前联系您。")
                % {"union": setup.town_union.name, "due": setup.due_on},
            )
            return redirect("accounts:me")
    return render(request, "membership/setup_form.html", {"form": form})


# --- Union staff --------------------------------------------------------------------------


def _union_filter(request):
    value = request.GET.get("union", "")
    return int(value) if value.isdigit() else None


@role_required(DECIDE)
def queue(request):
    union_id = _union_filter(request)
    page = Paginator(selectors.queue(request.user, union_id=union_id), QUEUE_PAGE).get_page(request.GET.get("page"))
    ids = selectors.decidable_union_ids(request.user)
    my_unions = selectors.unions().filter(pk__in=ids) if ids is not None else None
    context = {
        "page_obj": page,
        "applications": page.object_list,
        "transfers": list(selectors.transfers_waiting(request.user)[:20]),
        "today": timezone.localdate(),
        "my_unions": list(my_unions) if my_unions is not None else None,
        "union_id": union_id,
        "is_officer": ids is None,
    }
    return _private(render(request, "membership/queue.html", context))


def _application(request, pk):
    return object_or_404(selectors.applications_visible(request.user), pk=pk)


@role_required(DECIDE)
def application_detail(request, pk: int):
    application = _application(request, pk)
    context = {
        "a": application,
        "today": timezone.localdate(),
        "return_form": ReasonForm(),
        "refer_form": ReferForm(),
        "previous": Application.objects.filter(person_id=application.person_id)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")[:5],
    }
    return _private(render(request, "membership/application_detail.html", context))


def _run(request, action, success):
    try:
        result = action()
    except ValidationError as exc:
        messages_from(request, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


@require_POST
@role_required(DECIDE)
def application_accept(request, pk: int):
    application = _application(request, pk)
    _run(
        request,
        lambda: services.application_accept(application_id=application.pk, by=request.user),
        lambda member: _("已同意入会，会员编号 %(number)s。") % {"number": member.number},
    )
    return redirect("membership:queue")


@require_POST
@role_required(DECIDE)
def application_return(request, pk: int):
    application = _application(request, pk)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    done = _run(
        request,
        lambda: services.application_return(application_id=application.pk, by=request.user, reason=reason),
        _("已退回，申请人会收到原因。"),
    )
    return redirect("membership:queue" if done else reverse("membership:application", args=[pk]))


@require_POST
@role_required(DECIDE)
def application_refer(request, pk: int):
    application = _application(request, pk)
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages_from(request, form)
        return redirect("membership:application", pk=pk)
    done = _run(
        request,
        lambda: services.application_refer(
            application_id=application.pk,
            by=request.user,
            union=form.cleaned_data["union"],
            reason=form.cleaned_data["reason"],
        ),
        lambda a: _("已转至%(union)s。") % {"union": a.union.name},
    )
    return redirect("membership:queue" if done else reverse("membership:application", args=[pk]))


@require_POST
@role_required(DECIDE)
def transfer_accept(request, pk: int):
    transfer = object_or_404(selectors.transfers_visible(request.user), pk=pk)
    _run(
        request,
        lambda: services.transfer_accept(transfer_id=transfer.pk, by=request.user),
        _("已接收，会员编号不变。"),
    )
    return redirect("membership:queue")


@require_POST
@role_required(DECIDE)
def transfer_decline(request, pk: int):
    transfer = object_or_404(selectors.transfers_visible(request.user), pk=pk)
    _run(
        request,
        lambda: services.transfer_decline(
            transfer_id=transfer.pk, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("已退回接转申请。"),
    )
    return redirect("membership:queue")


@role_required(DECIDE)
def members(request):
    q = request.GET.get("q", "").strip()[:40]
    state = request.GET.get("state", "")
    state = state if state in Member.State.values else ""
    found = selectors.member_search(request.user, q=q, union_id=_union_filter(request), state=state)
    page = Paginator(found, MEMBERS_PAGE).get_page(request.GET.get("page"))
    ids = selectors.decidable_union_ids(request.user)
    context = {
        "page_obj": page,
        "members": page.object_list,
        "q": q,
        "state": state,
        "states": Member.State.choices,
        "my_unions": list(selectors.unions().filter(pk__in=ids)) if ids is not None else None,
        "union_id": _union_filter(request),
    }
    return _private(render(request, "membership/members.html", context))


@require_POST
@role_required(DECIDE)
def member_leave(request, pk: int):
    member = object_or_404(selectors.members_visible(request.user), pk=pk)
    _run(
        request,
        lambda: services.member_leave(member_id=member.pk, by=request.user, reason=request.POST.get("reason", "")),
        _("已办理退会，电子会员卡即时失效。"),
    )
    return redirect("membership:members")


@role_required(DECIDE)
def setup_queue(request):
    found = selectors.setup_requests_visible(request.user).order_by("state", "due_on", "pk")
    page = Paginator(found, QUEUE_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "requests": page.object_list,
        "today": timezone.localdate(),
        "move_form": SetupMoveForm(),
    }
    return _private(render(request, "membership/setup_queue.html", context))


@require_POST
@role_required(DECIDE)
def setup_move(request, pk: int):
    setup = object_or_404(selectors.setup_requests_visible(request.user), pk=pk)
    form = SetupMoveForm(request.POST)
    if not form.is_valid():
        messages_from(request, form)
    else:
        _run(
            request,
            lambda: services.setup_request_move(
                request_id=setup.pk, by=request.user, state=form.cleaned_data["state"], note=form.cleaned_data["note"]
            ),
            lambda r: _("已改为“%(state)s”。") % {"state": r.get_state_display()},
        )
    return redirect("membership:setup_queue")


IMPORT_SESSION_KEY = "membership.import"


@role_required("membership.import_roll")
def import_page(request):
    """Upload → preview (nothing written) → confirm (all or nothing). The file waits in the session."""
    import base64

    from .excel import ImportReport, roll_import

    if request.GET.get("template"):
        from .excel import roll_template

        return roll_template().response("membership-import-template.xlsx")
    form = ImportForm()
    report: ImportReport | None = None
    if request.method == "POST" and "confirm" in request.POST:
        data = request.session.get(IMPORT_SESSION_KEY)
        if not data:
            messages.error(request, _("请重新上传文件。"))
            return redirect("membership:import")
        report = roll_import(base64.b64decode(data), actor=request.user, commit=True)
        request.session.pop(IMPORT_SESSION_KEY, None)
        if report.ok:
            messages.success(request, _("已导入：%(summary)s") % {"summary": report.summary})
        else:
            messages.error(request, _("文件有错误，没有导入任何记录。"))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > 5 * 1024 * 1024:
                form.add_error("file", _("文件不能超过 5 MB。"))
            else:
                content = upload.read()
                report = roll_import(content, actor=request.user, commit=False)
                if report.ok:
                    request.session[IMPORT_SESSION_KEY] = base64.b64encode(content).decode()
    return _private(render(request, "membership/import.html", {"form": form, "report": report}))
