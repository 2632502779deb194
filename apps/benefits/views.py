import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.audit import audit_record
from apps.core.forms import messages_from
from apps.core.submissions import AlreadySubmitted, submission_once
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment

from . import selectors, services
from .models import Application, Programme, Slot
from .rules import default_message
from .selectors import OFFICER_ROLE, PROVIDER_ROLE

State = Enrolment.State


def _svg(data: str) -> HttpResponse:
    import qrcode
    import qrcode.image.svg

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate().year
    if value.isdigit() and 2000 <= int(value) <= today + 1:
        return int(value)
    return today


@require_GET
def catalogue(request):
    year = _year(request)
    cards = selectors.catalogue(request.user, year)
    years = sorted(set(Programme.objects.filter(published=True).values_list("year", flat=True)), reverse=True)
    return render(request, "benefits/catalogue.html", {"cards": cards, "year": year, "years": years})


def _programme(pk) -> Programme:
    try:
        return selectors.programme_for_page(int(pk))
    except (Programme.DoesNotExist, ValueError):
        raise Http404 from None


@require_GET
def programme(request, pk: int):
    programme = _programme(pk)
    user = request.user
    mine, verdict = None, None
    if user.is_authenticated:
        mine = (
            Application.objects.filter(programme=programme, person=user)
            .select_related("enrolment__satisfaction", "slot__provider")
            .first()
        )
        if mine is None:
            verdict = services.apply_module.verdict_for(programme, user)
    position = engine.waiting_position(mine.enrolment) if mine and mine.enrolment.state == State.WAITING else None
    rate_due = (
        mine is not None and mine.enrolment.state == State.ATTENDED and not hasattr(mine.enrolment, "satisfaction")
    )
    context = {
        "programme": programme,
        "roster": programme.roster,
        "rules": [r.message or default_message(r) for r in programme.rules.all() if r.purpose == "eligibility"],
        "groups": [r for r in programme.rules.all() if r.purpose == "priority"],
        "providers": list(programme.providers.all()),
        "mine": mine,
        "verdict": verdict,
        "position": position,
        "slots": selectors.open_slots(programme) if mine and mine.enrolment.state == State.CONFIRMED else [],
        "draw": selectors.draw_counts(programme),
        "rate_due": rate_due,
        "may_manage": selectors.may_manage(user),
        "may_nominate": programme.channel != Programme.Channel.INDIVIDUAL and user_holds(user, "union_staff"),
        "window_open": selectors._window_open(programme, timezone.now()),
    }
    return render(request, "benefits/programme.html", context)


def _back(programme, anchor="#mine"):
    return redirect(reverse("benefits:programme", args=[programme.pk]) + anchor)


@login_required
def apply(request, pk: int):
    programme = _programme(pk)
    if request.method != "POST":
        verdict = services.apply_module.verdict_for(programme, request.user)
        return render(request, "benefits/apply.html", {"programme": programme, "verdict": verdict})
    try:
        with submission_once(request) as once:
            application = services.apply(
                programme=programme,
                person=request.user,
                consent=request.POST.get("consent") == "on",
                health_consent=request.POST.get("health_consent") == "on",
            )
            once.result(programme.get_absolute_url())
    except AlreadySubmitted as first:
        return redirect(first.url)
    except ValidationError as exc:
        messages_from(request, exc)
        return redirect("benefits:apply", pk=programme.pk)
    state = application.enrolment.state
    if state == State.APPLIED:
        messages.success(
            request,
            _("已提交申请（编号 %(ref)s）。申请截止后按公布的规则分配名额，结果会通知您。")
            % {"ref": application.reference},
        )
    elif state == State.WAITING:
        messages.success(request, _("名额已满，您已进入候补。有名额空出时会通知您。"))
    else:
        messages.success(request, _("申请成功（编号 %(ref)s）。") % {"ref": application.reference})
    return _back(programme)


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    application = object_or_404(
        Application.objects.filter(person=request.user).select_related("programme__roster", "enrolment"), pk=pk
    )
    programme = application.programme
    try:
        if action == "confirm":
            services.offer_confirm(application=application)
            messages.success(request, _("已确认名额。"))
        elif action == "decline":
            services.offer_decline(application=application)
            messages.success(request, _("已放弃名额，名额将顺延给下一位。"))
        elif action == "cancel":
            services.application_cancel(application=application, by=request.user)
            messages.success(request, _("已取消申请。"))
        elif action == "book":
            slot = Slot.objects.filter(programme=programme, pk=request.POST.get("slot") or 0).first()
            if slot is None:
                raise ValidationError(_("请选择一个预约时段。"))
            services.book(application=application, slot=slot)
            messages.success(request, _("已预约 %(slot)s。前一天会提醒您。") % {"slot": slot})
        elif action == "rate":
            services.rate(
                application=application, score=request.POST.get("score"), comment=request.POST.get("comment", "")
            )
            messages.success(request, _("谢谢您的评价！"))
        else:
            raise Http404
    except ValidationError as exc:
        messages_from(request, exc)
    return _back(programme)


@login_required
@require_GET
def my_code(request):
    return _svg(engine.person_code(request.user))


# --- Officers -----------------------------------------------------------------------------------


@role_required(OFFICER_ROLE)
def manage(request):
    rows = list(Programme.objects.select_related("roster").order_by("-year", "kind", "pk")[:100])
    return render(request, "benefits/manage.html", {"rows": rows})


@role_required(OFFICER_ROLE)
def allocation(request, pk: int):
    programme = object_or_404(Programme.objects.select_related("roster"), pk=pk)
    if request.method == "POST":
        try:
            order = services.allocation_run(programme=programme, by=request.user)
            messages.success(request, _("已分配名额：%(n)s 人参加抽签，结果已通知申请人。") % {"n": len(order)})
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect("benefits:allocation", pk=programme.pk)
    preview, problem = None, ""
    try:
        preview = services.allocation_preview(programme=programme)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    from apps.enrolment.selectors import state_counts

    counts = state_counts([programme.roster_id]).get(programme.roster_id, {})
    waiting = list(
        Application.objects.filter(programme=programme, enrolment__state__in=(State.WAITING, State.OFFERED))
        .select_related("enrolment")
        .order_by("enrolment__state", "enrolment__queued_at", "pk")[:30]
    )
    return render(
        request,
        "benefits/allocation.html",
        {
            "programme": programme,
            "roster": programme.roster,
            "preview": preview,
            "problem": problem,
            "counts": [(label, counts.get(value, 0)) for value, label in State.choices],
            "draw": selectors.draw_counts(programme),
            "waiting": waiting,
        },
    )


# --- Providers ----------------------------------------------------------------------------------


@role_required(PROVIDER_ROLE)
def provider_checkin(request):
    if request.method == "POST":
        try:
            with submission_once(request):
                application = services.provider_checkin(
                    by=request.user,
                    code=request.POST.get("code", ""),
                    policy_number=request.POST.get("policy_number", ""),
                )
            name = application.person.display_name
            if application.already:
                messages.info(request, _("%(name)s 已经签到过了。") % {"name": name})
            else:
                messages.success(
                    request,
                    _("%(name)s 签到成功（%(programme)s）。") % {"name": name, "programme": application.programme},
                )
        except AlreadySubmitted:
            pass
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect("benefits:provider")
    queue = selectors.provider_queue(request.user)
    for row in queue:
        audit_record(actor=request.user, action="view", obj=row, detail="provider queue")
    return render(request, "benefits/provider.html", {"queue": queue, "today": timezone.localdate()})


# --- Grassroots union staff ---------------------------------------------------------------------


@role_required("union_staff")
def nominate(request, pk: int):
    """Union staff nominate their members (by mobile number) within their union's share."""
    from django.contrib.auth import get_user_model

    from apps.core.models import UnionStaff
    from apps.enrolment.models import NominationQuota

    programme = _programme(pk)
    if programme.channel == Programme.Channel.INDIVIDUAL:
        raise Http404
    posts = list(UnionStaff.objects.filter(user=request.user).select_related("union"))
    unions = {post.union_id: post.union for post in posts}
    if request.method == "POST":
        union = unions.get(int(request.POST.get("union") or 0)) if (request.POST.get("union") or "").isdigit() else None
        phone = (request.POST.get("phone") or "").strip()
        person = get_user_model().objects.filter(phone=phone, is_active=True).first() if phone else None
        try:
            if union is None:
                raise ValidationError(_("请选择推荐单位。"))
            if person is None:
                raise ValidationError(_("没有找到手机号 %(phone)s 的职工（须先在门户注册）。") % {"phone": phone})
            with submission_once(request):
                application = services.nominate(programme=programme, union=union, person=person, by=request.user)
            messages.success(
                request,
                _("已推荐 %(name)s（编号 %(ref)s）。") % {"name": person.display_name, "ref": application.reference},
            )
        except AlreadySubmitted:
            pass
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect("benefits:nominate", pk=programme.pk)
    quotas = dict(
        NominationQuota.objects.filter(roster=programme.roster, union_id__in=unions).values_list("union_id", "places")
    )
    rows = []
    for union_id, union in unions.items():
        nominated = list(
            Application.objects.filter(programme=programme, nominated_by_id=union_id)
            .select_related("person", "enrolment")
            .order_by("pk")
        )
        used = sum(1 for a in nominated if a.enrolment.is_live)
        rows.append({"union": union, "quota": quotas.get(union_id), "used": used, "nominated": nominated})
    return render(request, "benefits/nominate.html", {"programme": programme, "rows": rows})


@role_required(OFFICER_ROLE)
def insurance(request, pk: int):
    """The insurer's list out (Excel) and the insurer's policy file in, with a report."""
    from .services import insurance as insurance_services

    programme = object_or_404(Programme.objects.select_related("roster", "occasion"), pk=pk)
    if request.method == "GET" and request.GET.get("export") == "1":
        return insurance_services.insured_list(programme, by=request.user).response(f"insured-{programme.pk}.xlsx")
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("请选择保险公司返回的文件。"))
            report = insurance_services.policies_import(programme=programme, upload=upload, by=request.user)
            if report.problems:
                messages.error(request, _("文件有 %(n)s 处问题，未导入任何数据。") % {"n": len(report.problems)})
            else:
                messages.success(request, _("已导入 %(n)s 个保单号。") % {"n": report.imported})
        except ValidationError as exc:
            messages_from(request, exc)
    return render(request, "benefits/insurance.html", {"programme": programme, "report": report})
