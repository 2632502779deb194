"""Public pages: the index, station pages, events and registration."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, user_holds
from apps.core.pagecache import public_fragment
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment

from .. import selectors, services
from ..models import LegalEvent, LegalStation, Topic
from ..selectors import OFFICER
from .common import PER_PAGE

FAQ = [
    (
        Topic.WAGES,
        _("老板拖欠工资怎么办？"),
        _("先保留考勤、工资条、聊天记录等证据，可到服务站申请调解，也可拨打 12333 向劳动监察投诉。"),
    ),
    (
        Topic.INJURY,
        _("工作中受伤了，怎么认定工伤？"),
        _("用人单位应在 30 日内申请工伤认定；单位不申请的，本人或家属可在 1 年内向人社部门申请。"),
    ),
    (
        Topic.CONTRACT,
        _("被辞退能拿经济补偿吗？"),
        _("除本人过错等情形外，按工作年限每满一年支付一个月工资的经济补偿；违法解除的为两倍。"),
    ),
    (
        Topic.NEW_FORM,
        _("送外卖、跑快递受伤或被扣款，找谁？"),
        _("新就业形态劳动者同样可以来站咨询，值班律师会帮您判断与平台或站点的关系并指引维权。"),
    ),
]


@require_GET
def index(request):
    today = timezone.localdate()
    now = timezone.localtime().time()
    # The same for every visitor: read once per page-cache generation, language and day.
    stations, week, events = public_fragment(
        f"legal-index:{get_language()}:{today.isoformat()}",
        lambda: (
            list(selectors.stations_public()),
            list(selectors.duty_this_week()),
            list(selectors.events_upcoming(limit=4)),
        ),
    )
    # Points are stored in WGS-84; tiles in another datum (GCJ-02) would put the markers off, so
    # then the map shows the markers on a blank background rather than in the wrong street.
    wgs84_tiles = getattr(settings, "MAP_TILE_COORDS", "wgs84") == "wgs84"
    map_config = {
        "tileUrl": settings.MAP_TILE_URL if wgs84_tiles else "",
        "attribution": settings.MAP_TILE_ATTRIBUTION if wgs84_tiles else "",
        "center": [32.9306, 119.8406],
        "points": [
            {
                "name": s.name,
                "lat": float(s.latitude),
                "lng": float(s.longitude),
                "url": s.url,
                "flagship": s.kind == LegalStation.Kind.FLAGSHIP,
            }
            for s in stations
            if s.has_point
        ],
    }
    return render(
        request,
        "legal_aid/index.html",
        {
            "stations": stations,
            "flagship": [s for s in stations if s.kind == LegalStation.Kind.FLAGSHIP],
            # The one count of grassroots stations (item 9 and the dashboard use the same).
            "grassroots_open": selectors.metric_grassroots_stations(timezone.localdate().year),
            # A shift that has ended no longer reads as on duty today (the page is kept a few minutes at most).
            "today_shifts": [s for s in week if s.date == today and s.end > now],
            "ended_today": [s for s in week if s.date == today and s.end <= now],
            "week": week,
            "events": events,
            "faq": FAQ,
            "map_config": map_config,
        },
    )


@require_GET
def station_detail(request, pk: int):
    try:
        station = selectors.station_detail(pk)
    except LegalStation.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    shifts = selectors.shifts_public(today, today + datetime.timedelta(days=13), station_id=station.pk)
    return render(request, "legal_aid/station_detail.html", {"station": station, "shifts": shifts})


@require_GET
def events(request):
    paginator = Paginator(selectors.events_archive(), PER_PAGE)
    return render(
        request,
        "legal_aid/events.html",
        {"upcoming": selectors.events_upcoming(), "page_obj": paginator.get_page(request.GET.get("page"))},
    )


@require_GET
def event_detail(request, pk: int):
    user = request.user
    try:
        event = selectors.event_detail(pk, user)
    except LegalEvent.DoesNotExist:
        raise Http404 from None
    # Only staff may hold the check-in permission: other visitors are spared the permission queries.
    can_check_in = (user.is_staff or user.is_superuser) and user_holds(user, OFFICER)
    return render(request, "legal_aid/event_detail.html", {"event": event, "can_check_in": can_check_in})


@require_POST
@login_required
def event_register(request, pk: int):
    event = object_or_404(LegalEvent.objects.published(), pk=pk)
    try:
        result = services.event_register(event=event, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        state = result.enrolment.state
        if not result.created:
            messages.info(request, _("您已经报名了这个活动。"))
        elif state == Enrolment.State.CONFIRMED:
            messages.success(request, _("报名成功。"))
        else:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。"))
    return redirect(f"{event.get_absolute_url()}#registration")


def _my_event_registration(request, pk: int):
    """The visitor's own registration for a legal event (anyone else's is 404), with its event."""
    registration = object_or_404(
        Enrolment.objects.filter(
            person=request.user, roster__owner_type=ContentType.objects.get_for_model(LegalEvent)
        ).select_related("roster"),
        pk=pk,
    )
    registration.event = object_or_404(LegalEvent.objects.all(), pk=registration.roster.owner_id)
    return registration


@require_POST
@login_required
def registration_cancel(request, pk: int):
    registration = _my_event_registration(request, pk)
    try:
        services.registration_cancel(registration=registration, by=request.user)
        messages.success(request, _("已取消报名。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{registration.event.get_absolute_url()}#registration")


@require_POST
@login_required
def registration_offer(request, pk: int):
    """Accept or decline a place offered from the waiting list."""
    registration = _my_event_registration(request, pk)
    try:
        if request.POST.get("answer") == "accept":
            engine.offer_accept(enrolment=registration)
            messages.success(request, _("已确认，报名成功。"))
        else:
            engine.offer_decline(enrolment=registration)
            messages.success(request, _("已放弃名额，名额将顺延给下一位。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{registration.event.get_absolute_url()}#registration")
