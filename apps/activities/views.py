import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required
from apps.core.excel import SafeWorkbook
from apps.core.forms import form_errors_from, messages_from
from apps.core.geo import distance_m, format_distance, parse_point
from apps.core.submissions import AlreadySubmitted, submission_once
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment, Roster

from . import selectors, services
from .forms import ActivityForm, CheckinForm, ChildForm, HeadCountForm, MessageForm, RateForm, ReasonForm, SessionForm
from .ics import calendar_for
from .models import Activity, Kind, Session
from .selectors import ORGANISER_ROLE

PER_PAGE = 20


def _qr_svg(data: str) -> bytes:
    import io

    import qrcode
    import qrcode.image.svg

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    return out.getvalue()


def _svg(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public pages -------------------------------------------------------------------------------


def _filters(request) -> selectors.ListFilters:
    filters = selectors.ListFilters()
    kind = request.GET.get("kind", "")
    filters.kind = kind if kind in Kind.values else ""
    town = request.GET.get("town", "")
    filters.town = int(town) if town.isdigit() and len(town) < 10 else None
    try:
        filters.day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        filters.day = None
    filters.for_me = request.GET.get("for_me") == "1"
    return filters


@require_GET
def activity_list(request):
    filters = _filters(request)
    activities = selectors.activity_list(filters, user=request.user)
    point = parse_point(request.GET.get("lat"), request.GET.get("lng"))
    distances = {}
    if point is not None:
        # "Near me": the upcoming list is short (what is on in one city), so sorting it here costs
        # the same queries as the plain list; activities without a map point come last.
        activities = list(activities)
        for a in activities:
            if a.has_point:
                distances[a.pk] = distance_m(point[0], point[1], float(a.latitude), float(a.longitude))
        activities.sort(key=lambda a: distances.get(a.pk, float("inf")))
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    cards = [
        {
            "activity": a,
            "places": selectors.place_label(a),
            "next": selectors.next_session(a, now),
            "distance": format_distance(distances[a.pk]) if a.pk in distances else "",
        }
        for a in page
    ]
    return render(
        request,
        "activities/list.html",
        {
            "cards": cards,
            "page_obj": page,
            "filters": filters,
            "kinds": Kind.choices,
            "towns": selectors.towns_with_activities(),
            "filtered": bool(filters.kind or filters.town or filters.day or filters.for_me or point),
            "point": point,
        },
    )


def _page(pk) -> Activity:
    try:
        return selectors.activity_for_page(int(pk))
    except (Activity.DoesNotExist, ValueError):
        raise Http404 from None


@require_GET
def activity_detail(request, pk: int):
    activity = _page(pk)
    sessions = list(activity.sessions.all())
    user = request.user
    mine = selectors.my_place(user, activity)
    context = {
        "activity": activity,
        "roster": activity.roster,
        "sessions": sessions,
        "places": selectors.place_label(activity),
        "next": selectors.next_session(activity),
        "mine": mine,
        "may_manage": selectors.may_manage(user, activity),
        "child_form": ChildForm() if activity.is_childcare and user.is_authenticated else None,
        "rate_form": RateForm() if mine.rate_due else None,
        "amap": (
            f"https://uri.amap.com/marker?position={activity.longitude},{activity.latitude}"
            f"&name={activity.place_name}&coordinate=wgs84&callnative=1"
            if activity.has_point
            else ""
        ),
    }
    return render(request, "activities/detail.html", context)


@require_GET
def activity_calendar(request, pk: int):
    activity = _page(pk)
    response = HttpResponse(
        calendar_for(activity, activity.sessions.all()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


@require_GET
def draw_result(request, pk: int):
    activity = _page(pk)
    roster = activity.roster
    if roster is None or roster.allocation != Roster.Allocation.DRAW:
        raise Http404
    counts = {}
    if roster.drawn_at:
        from apps.enrolment.selectors import state_counts

        counts = state_counts([roster.pk]).get(roster.pk, {})
    return render(
        request,
        "activities/draw.html",
        {
            "activity": activity,
            "roster": roster,
            "groups": list(roster.priority_groups.all()),
            "entries": sum(counts.values()) if counts else 0,
        },
    )


# --- A worker's actions -------------------------------------------------------------------------


def _redirect_detail(activity, anchor=""):
    return redirect(reverse("activities:detail", args=[activity.pk]) + anchor)


@login_required
@require_POST
def signup(request, pk: int):
    activity = _page(pk)
    child = {}
    if activity.is_childcare:
        form = ChildForm(request.POST)
        if not form.is_valid():
            messages_from(request, form)
            return _redirect_detail(activity, "#signup")
        child = form.cleaned_data
    try:
        result = services.activity_signup(activity=activity, person=request.user, **child)
    except ValidationError as exc:
        messages_from(request, exc)
        return _redirect_detail(activity, "#signup")
    enrolment = result.enrolment
    if not result.created:
        messages.info(request, _("您已报名，无需重复提交。"))
    elif enrolment.state == Enrolment.State.WAITING:
        position = engine.waiting_position(enrolment)
        messages.success(request, _("名额已满，您已进入候补，排第 %(n)s 位。有人取消时会通知您。") % {"n": position})
    elif enrolment.state == Enrolment.State.APPLIED:
        messages.success(request, _("已报名，报名截止后抽签，结果会通知您。"))
    else:
        messages.success(request, _("报名成功！活动前一天会提醒您。"))
    return _redirect_detail(activity, "#mine")


def _my_enrolment(request, activity, enrolment_id):
    mine = Enrolment.objects.filter(person=request.user, roster_id=activity.roster_id)
    return object_or_404(mine, pk=enrolment_id)


@login_required
@require_POST
def enrolment_action(request, pk: int, enrolment_id: int, action: str):
    activity = _page(pk)
    enrolment = _my_enrolment(request, activity, enrolment_id)
    try:
        if action == "cancel":
            engine.enrolment_cancel(enrolment=enrolment, by=request.user)
            messages.success(request, _("已取消报名。"))
        elif action == "accept":
            engine.offer_accept(enrolment=enrolment)
            messages.success(request, _("已确认，名额为您保留。"))
        elif action == "decline":
            engine.offer_decline(enrolment=enrolment)
            messages.success(request, _("已放弃名额，谢谢告知。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages_from(request, exc)
    return _redirect_detail(activity, "#mine")


@login_required
@require_POST
def rate(request, pk: int, enrolment_id: int):
    activity = _page(pk)
    enrolment = _my_enrolment(request, activity, enrolment_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages_from(request, form)
        return _redirect_detail(activity, "#rate")
    try:
        engine.satisfaction_submit(enrolment=enrolment, **form.cleaned_data)
        messages.success(request, _("谢谢您的评价！"))
    except ValidationError as exc:
        messages_from(request, exc)
    return _redirect_detail(activity, "#rate")


@login_required
def door_checkin(request, token: str):
    """The page a worker's phone opens from the door QR: one tap to check in."""
    error, occasion, session = "", None, None
    try:
        occasion = engine.door_token_occasion(token)
        session = Session.objects.select_related("activity").filter(occasion=occasion).first()
    except ValidationError as exc:
        error = exc.messages[0]
    result = None
    if request.method == "POST" and occasion is not None:
        try:
            result = engine.checkin(occasion=occasion, person=request.user, method=Attendance.Method.DOOR_QR)
        except ValidationError as exc:
            error = exc.messages[0]
    status = 400 if error else 200
    return render(
        request,
        "activities/door_checkin.html",
        {"error": error, "occasion": occasion, "session": session, "result": result},
        status=status,
    )


@login_required
@require_GET
def my_code_svg(request):
    """The signed-in person's own check-in QR (staff scan it at the door)."""
    return _svg(_qr_svg(engine.person_code(request.user)))


# --- Organisers ---------------------------------------------------------------------------------


def _managed(request, pk) -> Activity:
    activity = object_or_404(Activity.objects.select_related("roster", "organiser"), pk=pk)
    if not selectors.may_manage(request.user, activity):
        raise PermissionDenied(_("这是其他部门的活动，只有主办部门的活动组织者可以管理。"))
    return activity


def _managed_session(request, session_id) -> Session:
    session = object_or_404(Session.objects.select_related("activity__roster", "occasion"), pk=session_id)
    if not selectors.may_manage(request.user, session.activity):
        raise PermissionDenied(_("这是其他部门的活动，只有主办部门的活动组织者可以管理。"))
    return session


@role_required(ORGANISER_ROLE)
def manage(request):
    rows = list(selectors.managed_activities(request.user)[:100])
    return render(request, "activities/manage.html", {"rows": rows, "has_department": bool(request.user.employer_id)})


@role_required(ORGANISER_ROLE)
def activity_edit(request, pk: int | None = None):
    activity = _managed(request, pk) if pk else Activity(organiser_id=request.user.employer_id)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_once(request) as once:
                saved = services.activity_save(activity=form.save(commit=False), roster_fields=form.roster_fields())
                once.result(reverse("activities:edit", args=[saved.pk]))
        except AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:edit", pk=saved.pk)
    sessions = list(activity.sessions.select_related("occasion")) if activity.pk else []
    return render(
        request,
        "activities/edit.html",
        {"form": form, "activity": activity, "sessions": sessions, "session_form": SessionForm()},
    )


@role_required(ORGANISER_ROLE)
@require_POST
def session_add(request, pk: int):
    activity = _managed(request, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            with submission_once(request):
                services.session_add(
                    activity=activity,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    topic=form.cleaned_data["topic"],
                )
            messages.success(request, _("已添加场次。"))
        except AlreadySubmitted:
            pass  # a double tap: the first one added it
        except ValidationError as exc:
            messages_from(request, exc)
    else:
        messages_from(request, form)
    return redirect("activities:edit", pk=activity.pk)


@role_required(ORGANISER_ROLE)
@require_POST
def activity_action(request, pk: int, action: str):
    activity = _managed(request, pk)
    target = reverse("activities:edit", args=[activity.pk])
    try:
        if action == "publish":
            services.activity_publish(activity=activity)
            messages.success(request, _("已发布。"))
        elif action == "cancel":
            services.activity_cancel(activity=activity, reason=request.POST.get("reason", ""))
            messages.success(request, _("活动已取消，已通知所有报名的职工。"))
        elif action == "held":
            services.activity_mark_held(activity=activity)
            messages.success(request, _("已标记为已举办。"))
        elif action == "copy":
            copy = services.activity_copy_next(activity=activity)
            messages.success(request, _("已复制为第 %(n)s 期（草稿），请核对日期后发布。") % {"n": copy.series_number})
            target = reverse("activities:edit", args=[copy.pk])
        elif action == "message":
            form = MessageForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("title") or _("请填写通知标题。"))
            target = reverse("activities:roster", args=[activity.pk])
            try:
                with submission_once(request):
                    told = services.activity_message(activity=activity, **form.cleaned_data)
            except AlreadySubmitted:
                return redirect(target)  # a double tap: sent once already
            messages.success(request, _("已发送给 %(n)s 人。") % {"n": told})
        elif action == "draw":
            engine.draw_run(roster=activity.roster)
            messages.success(request, _("已抽签，结果已通知报名的职工。"))
            target = reverse("activities:roster", args=[activity.pk])
        else:
            raise Http404
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect(target)


@role_required(ORGANISER_ROLE)
def roster(request, pk: int):
    activity = _managed(request, pk)
    rows = selectors.roster_rows(activity)
    sessions = list(activity.sessions.select_related("occasion"))
    attendance = selectors.session_attendance(activity)
    for session in sessions:
        session.checkins = attendance.get(session.occasion_id, 0)
    return render(
        request,
        "activities/roster.html",
        {
            "activity": activity,
            "roster": activity.roster,
            "rows": rows,
            "sessions": sessions,
            "message_form": MessageForm(),
            "states": Enrolment.State,
        },
    )


@role_required(ORGANISER_ROLE)
@require_POST
def roster_cancel(request, pk: int, enrolment_id: int):
    activity = _managed(request, pk)
    enrolment = object_or_404(Enrolment.objects.filter(roster_id=activity.roster_id), pk=enrolment_id)
    try:
        engine.enrolment_cancel(enrolment=enrolment, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已取消该报名并通知本人。"))
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect("activities:roster", pk=activity.pk)


@role_required(ORGANISER_ROLE)
@require_GET
def roster_export(request, pk: int):
    activity = _managed(request, pk)
    book = SafeWorkbook()
    sheet = book.sheet(
        _("报名名单"),
        [_("序号"), _("姓名"), _("手机"), _("子女"), _("年龄"), _("状态"), _("抽签序号"), _("签到场次"), _("报名时间")],
    )
    for index, row in enumerate(selectors.roster_rows(activity), start=1):
        book.append(
            sheet,
            [
                index,
                row.person.display_name,
                row.person.phone,
                row.dependant_name,
                row.dependant_age,
                row.get_state_display(),
                row.draw_number,
                row.checkins,
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
            ],
        )
    return book.response(f"activity-{activity.pk}-roster.xlsx")


@role_required(ORGANISER_ROLE)
def session_checkin(request, session_id: int):
    """The organiser's check-in page on a phone: the door QR, then a code or a phone number."""
    session = _managed_session(request, session_id)
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        try:
            if code.isdigit() and len(code) == 11:
                result = engine.checkin_by_phone(occasion=session.occasion, phone=code, by=request.user)
            else:
                person = engine.person_from_code(code)
                result = engine.checkin(
                    occasion=session.occasion, person=person, method=Attendance.Method.PERSONAL_QR, by=request.user
                )
            who = result.attendances[0].enrolment.person.display_name
            if result.already:
                messages.info(request, _("%(who)s 已经签到过了。") % {"who": who})
            elif result.walk_in:
                messages.success(request, _("%(who)s 现场加入，已签到。") % {"who": who})
            else:
                messages.success(request, _("%(who)s 签到成功。") % {"who": who})
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect("activities:checkin", session_id=session.pk)
    door_problem = ""
    if any(host in settings.SITE_URL for host in ("127.0.0.1", "localhost")):
        door_problem = _("SITE_URL 是本机地址（%(url)s），手机扫码会打开它自己，请在正式网址上打印。") % {
            "url": settings.SITE_URL
        }
    recent = list(selectors.checkins_of(session)[:20])
    return render(
        request,
        "activities/checkin.html",
        {
            "session": session,
            "activity": session.activity,
            "form": form,
            "recent": recent,
            "count": len(recent),
            "door_problem": door_problem,
            "head_form": HeadCountForm(initial={"head_count": session.head_count}),
        },
    )


@role_required(ORGANISER_ROLE)
@require_GET
def door_qr_svg(request, session_id: int):
    session = _managed_session(request, session_id)
    token = engine.door_token(occasion=session.occasion)
    url = settings.SITE_URL.rstrip("/") + reverse("activities:door", args=[token])
    return _svg(_qr_svg(url))


@role_required(ORGANISER_ROLE)
@require_POST
def session_action(request, session_id: int, action: str):
    session = _managed_session(request, session_id)
    try:
        if action == "head_count":
            services.head_count_record(session=session, count=request.POST.get("head_count"))
            messages.success(request, _("已登记到场人数。"))
        elif action == "cancel":
            form = ReasonForm(request.POST)
            services.session_cancel(session=session, reason=form.data.get("reason", ""))
            messages.success(request, _("场次已取消，已通知所有报名的职工。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages_from(request, exc)
    back = request.POST.get("back") == "checkin"
    if back:
        return redirect("activities:checkin", session_id=session.pk)
    return redirect("activities:edit", pk=session.activity_id)
