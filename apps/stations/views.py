import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import object_or_404, role_required, user_holds
from apps.core.compression import accepts_gzip
from apps.core.csrf import token_or_same_origin
from apps.core.forms import form_errors_from
from apps.core.http import page_number
from apps.core.pagecache import public_fragment, query_signature

from . import selectors, services
from .forms import CheckinForm, InspectionForm, KeeperStationForm, RatingForm, StationFilterForm
from .geo import display_point
from .links import amap_route_url, baidu_marker_url, loopback_reason, qr_svg
from .listing import filter_choices_html, station_rows_html
from .models import Station

PER_PAGE = 20
VISITOR_COOKIE = "stations_visitor"
_VISITOR_RE = re.compile(r"^[0-9a-f]{32}$")


def _filters(request, **choices) -> tuple[StationFilterForm, dict, tuple[float, float] | None]:
    form = StationFilterForm(request.GET or None, **choices)
    if not request.GET:
        return form, {}, None
    if form.is_valid():
        return form, form.filters(), form.cleaned_data["point"]
    # Keep whatever was valid (e.g. the amenity filter) and drop the bad part.
    cleaned = getattr(form, "cleaned_data", {})
    filters = {
        "amenities": list(cleaned.get("amenity") or []),
        "kind": cleaned.get("kind") or "",
        "town": cleaned.get("town"),
        "open_now": bool(cleaned.get("open_now")),
    }
    return form, filters, None


def _round_the_clock(request) -> bool:
    """The "24小时" chip: only stations that never close."""
    return request.GET.get("h24") == "1"


def _page_number(request) -> int:
    """The page asked for, within range (apps.core.http.page_number)."""
    return page_number(request)


def _filter_sheet(form: StationFilterForm, amenities: list, towns: list) -> dict:
    """The filter sheet's choices and what is ticked, for the hand-written fields of the template."""
    data = form.data if form.is_bound else {}
    fields = form.fields
    return {
        **filter_choices_html(data, amenities, towns, fields["kind"].choices, fields["town"].empty_label),
        "open_now": fields["open_now"].widget.check_test(data.get("open_now")) if data else False,
        "labels": {name: fields[name].label for name in ("kind", "town", "open_now")},
        "lat": data.get("lat", ""),
        "lng": data.get("lng", ""),
    }


def _map_config(point) -> dict:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "labelsUrl": getattr(settings, "MAP_TILE_LABELS_URL", ""),
        "subdomains": getattr(settings, "MAP_TILE_SUBDOMAINS", "abc"),
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        # Markers carry the status label; this is the one that means "open, but not right now".
        "openStatus": str(Station.Status.OPEN.label),
        "pointsUrl": reverse("stations:map_json"),
        # A marker's page is stationBase + id + "/" (map.json leaves the link out of each marker).
        "stationBase": selectors.station_base_path(),
        "center": display_point(32.9306, 119.8406),
        "origin": display_point(*point) if point else None,
    }


@require_GET
def station_list(request):
    # The filter sheet's choices, read once: the form checks the query string against them.
    choices = selectors.filter_choices(request.user)
    amenities, towns = choices.amenities, choices.towns
    form, filters, point = _filters(request, amenities=amenities, towns=towns)
    round_the_clock = _round_the_clock(request)
    qs = selectors.station_search(**filters)
    if round_the_clock:
        qs = qs.filter(is_24h=True)
    number = _page_number(request)

    def build():
        page = selectors.station_list_page(qs, number, PER_PAGE, point)
        return page.rows, page.count, page.number, station_rows_html(page.rows, amenities)

    if point is None:
        # Without a position, the same for everyone with these filters (signed in or not: the rows
        # hold nothing personal): shared until a write refreshes the pages (apps/core/pagecache.py).
        # Positions are each their own.
        name = f"stations-list:{get_language()}:{query_signature(request)}"
        rows, count, shown, rows_html = public_fragment(name, build)
    else:
        rows, count, shown, rows_html = build()
    paginator = Paginator((), PER_PAGE)
    paginator.count = count  # known already: Paginator would count again
    page_obj = Page(rows, shown, paginator)
    return render(
        request,
        "stations/station_list.html",
        {
            "form": form,
            "sheet": _filter_sheet(form, amenities, towns),
            "page_obj": page_obj,
            "rows_html": rows_html,
            "point": point,
            "map_config": _map_config(point),
            "location_error": form.is_bound and form.errors.get("__all__"),
            "round_the_clock": round_the_clock,
            "filters_active": any(request.GET.get(k) for k in ("amenity", "kind", "town", "open_now")),
            # Only the role may open the keeper pages (the header links there too).
            "keeper_link": choices.keeps_stations and user_holds(request.user, "station_keeper"),
        },
    )


@require_GET
def map_json(request):
    """Marker data for the map, with the same filters as the list (nearest first with lat/lng)."""
    form, filters, point = _filters(request)
    if form.is_bound and form.errors:
        return JsonResponse(
            {"error": " ".join(str(e) for errs in form.errors.values() for e in errs)},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    plain, packed = selectors.station_map_bodies(filters, point, only_24h=_round_the_clock(request))
    if packed is not None and accepts_gzip(request):
        response = HttpResponse(packed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, content_type="application/json")
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _public_station(pk: int) -> Station:
    try:
        return selectors.station_detail(pk)
    except Station.DoesNotExist:
        raise Http404 from None


def _door_url(station: Station) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{station.get_absolute_url()}?qr=1"


def _keeps(user, station: Station) -> bool:
    return user.is_authenticated and Station.objects.kept_by(user).filter(pk=station.pk).exists()


def _may_change_stations(user) -> bool:
    """user_holds(user, "stations.change_station") in one query rather than the backend's two.

    The same rule as ModelBackend, the only backend granting permissions here: superusers, and
    active people holding the permission directly or through a role (group).
    """
    if user.is_superuser:
        return True
    if not user.is_active:
        return False
    held = Q(user=user) | Q(group__user=user)
    return Permission.objects.filter(held, content_type__app_label="stations", codename="change_station").exists()


def _may_print_door_qr(user, station: Station, keeps: bool | None = None) -> bool:
    """The door code is for the station's keepers and the union staff who run stations."""
    if not user.is_authenticated:
        return False
    if _keeps(user, station) if keeps is None else keeps:
        return True
    return _may_change_stations(user)


@require_GET
def station_detail(request, pk: int):
    return _station_page(request, pk)


def _station_page(request, pk: int, *, rating_form: RatingForm | None = None, status: int = 200):
    """The station's page; after a check-in or a rating, its result shows where the form was."""
    user = request.user
    try:
        # Built without a visitor there is nothing personal in it: shared by every visitor until a
        # write refreshes the pages (apps/core/pagecache.py); a signed-in visitor's own rating and
        # whether they keep the station are asked for apart (selectors.station_page_personal).
        def build():
            shared = selectors.station_page(pk, AnonymousUser())
            return shared, selectors.station_comments(shared.station)

        page, comments = public_fragment(f"station-page:{get_language()}:{pk}", build)
    except Station.DoesNotExist:
        raise Http404 from None
    if user.is_authenticated:
        page = selectors.station_page_personal(page, user)
    station, my_rating = page.station, page.my_rating
    now = timezone.now()
    links = {}
    if station.has_point:
        lat, lng = float(station.latitude), float(station.longitude)
        links = {
            "amap": amap_route_url(lat=lat, lng=lng, name=station.name),
            "baidu": baidu_marker_url(lat=lat, lng=lng, name=station.name, address=station.address),
        }
    if rating_form is None and request.user.is_authenticated:
        initial = {"score": my_rating.score, "comment": my_rating.comment} if my_rating else None
        rating_form = RatingForm(initial=initial)
    result = _result_pop(request, station)
    from_qr = request.GET.get("qr") == "1"
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "amenities": page.amenities,
            "photos": page.photos,
            "open_now": station.is_open_at(now, page.hours),
            "hours": page.hours,
            "today": timezone.localtime(now).weekday(),
            "links": links,
            "rating": page.rating,
            "comments": comments,
            "rating_form": rating_form,
            "my_rating": my_rating,
            "checkin": _checkin_choices(request),
            "from_qr": from_qr,
            # The check-in card comes first at the door and right after a check-in (its result).
            "checkin_first": from_qr or bool(result and result["kind"] == "checkin"),
            "result": result,
            "is_keeper": page.is_keeper,
            "show_door_qr": _may_print_door_qr(request.user, station, page.is_keeper),
            "door_url": _door_url(station),
            "door_url_problem": loopback_reason(settings.SITE_URL),
            "site_url": settings.SITE_URL,
        },
        status=status,
    )


# --- The result of a check-in or a rating, shown in place of the form (not ~2,000 px above) ------
RESULT_KEY = "stations_result"


def _result_keep(request, station: Station, kind: str, lines, *, ok: bool = True, already: bool = False) -> None:
    """Keep what the next page of this station shows where the form was (one page view)."""
    request.session[RESULT_KEY] = {
        "station": station.pk,
        "kind": kind,
        "ok": ok,
        "already": already,
        "at": timezone.localtime().strftime("%H:%M"),
        "lines": [str(line) for line in lines],
    }


def _result_pop(request, station: Station) -> dict | None:
    session = getattr(request, "session", None)
    if session is None or RESULT_KEY not in session:
        return None
    result = session.get(RESULT_KEY) or {}
    if result.get("station") != station.pk:
        return None
    del session[RESULT_KEY]
    return result


def _error_lines(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(e) for errors in exc.errors.values() for e in errors]


def _last_occupation(request) -> str:
    return request.session.get("stations_occupation", "") if hasattr(request, "session") else ""


def _checkin_choices(request) -> dict:
    """The check-in form's occupations, the last one chosen ticked (written by hand in the template)."""
    field = CheckinForm.base_fields["occupation"]
    last = _last_occupation(request)
    return {"label": field.label, "choices": [(code, label, code == last) for code, label in field.choices]}


@require_GET
def station_qr(request, pk: int):
    """The door QR code (SVG) pointing at the station's own page, where workers check in.

    Only keepers and staff print it, and never for a loopback SITE_URL (a phone could not open it).
    """
    station = _public_station(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_print_door_qr(request.user, station):
        raise PermissionDenied
    problem = loopback_reason(settings.SITE_URL)
    if problem:
        message = _("门口二维码要用门户的公网地址；SITE_URL 现为本机地址 %(url)s，手机扫码打不开，请先设置 SITE_URL。")
        return HttpResponse(message % {"url": settings.SITE_URL}, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(qr_svg(_door_url(station)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def station_feedback(request, pk: int):
    station = _public_station(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(station.get_absolute_url())
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            _rating, report = services.rating_submit(
                station=station,
                user=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                report_kind=form.cleaned_data["report_kind"],
                report_note=form.cleaned_data["report_note"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            lines = [_("感谢您的评价！")]
            if form.cleaned_data["comment"]:
                lines.append(_("您的留言将在审核后显示。"))
            if report is not None:
                lines.append(_("您反映的问题已转给驿站管理员。"))
            _result_keep(request, station, "feedback", lines)
            return redirect(station.get_absolute_url() + "#feedback")
    # The page again with what was typed and the errors at the form (its action ends in #feedback).
    return _station_page(request, pk, rating_form=form, status=400)


@token_or_same_origin
@require_POST
def station_checkin(request, pk: int):
    station = _public_station(pk)
    form = CheckinForm(request.POST)
    target = station.get_absolute_url() + "#checkin"
    new_cookie = None
    if not form.is_valid():
        _result_keep(request, station, "checkin", _error_lines(form), ok=False)
        return redirect(target)
    visitor_key = ""
    if not request.user.is_authenticated:
        visitor_key = request.COOKIES.get(VISITOR_COOKIE, "")
        if not _VISITOR_RE.match(visitor_key):
            visitor_key = new_cookie = uuid.uuid4().hex
    try:
        services.visit_record(
            station=station, occupation=form.cleaned_data["occupation"], user=request.user, visitor_key=visitor_key
        )
    except services.AlreadyCheckedIn:
        lines = [_("您本小时内已在此驿站签到过，每小时只记一次，无需重复签到。")]
        _result_keep(request, station, "checkin", lines, already=True)
    except ValidationError as exc:
        _result_keep(request, station, "checkin", _error_lines(exc), ok=False)
    else:
        request.session["stations_occupation"] = form.cleaned_data["occupation"]
        _result_keep(request, station, "checkin", [_("签到成功，欢迎来到%(name)s！") % {"name": station.name}])
    response = redirect(target)
    if new_cookie:
        response.set_cookie(
            VISITOR_COOKIE,
            new_cookie,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


# --- Keeper pages: only the keeper's own stations; any other answers 404 --------------------
# A keeper page is a page (403 with who to ask); another keeper's station is a record (404).
_keeper_only = role_required("station_keeper")


def _kept_station(request, pk: int) -> Station:
    return object_or_404(selectors.stations_kept(request.user), pk=pk)


@_keeper_only
def keeper_home(request):
    # Overdue first: the station that needs the keeper today is the first thing they see.
    stations = sorted(selectors.keeper_stations(request.user), key=lambda s: (not s.overdue, s.due, s.name))
    return render(request, "stations/keeper_home.html", {"stations": stations, "today": timezone.localdate()})


@_keeper_only
def inspection_new(request, pk: int):
    station = _kept_station(request, pk)
    form = InspectionForm(request.POST or None, request.FILES or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                station=station,
                inspector=request.user,
                states=form.states(),
                inspected_on=form.cleaned_data["inspected_on"],
                next_due=form.cleaned_data["next_due"],
                notes=form.cleaned_data["notes"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            problems = sum(1 for state, _note in form.states().values() if state != "ok")
            if problems:
                messages.warning(
                    request, _("巡检已记录，发现 %(n)s 项设备问题，已提醒工会工作人员。") % {"n": problems}
                )
            else:
                messages.success(request, _("巡检已记录，下次巡检日期 %(due)s。") % {"due": inspection.next_due})
            return redirect("stations:keeper")
    return render(
        request,
        "stations/inspection_form.html",
        {"station": station, "form": form, "inspections": selectors.station_inspections(station, 5)},
    )


@_keeper_only
def station_usage(request, pk: int):
    station = _kept_station(request, pk)
    usage = selectors.station_usage(station)
    return render(
        request,
        "stations/station_usage.html",
        {"station": station, "usage": usage, "reports": selectors.station_open_reports(station)},
    )


@_keeper_only
def station_keeper_edit(request, pk: int):
    station = _kept_station(request, pk)
    initial = {"phone": station.phone, "status": station.status, "status_reason": station.status_reason}
    form = KeeperStationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_keeper_update(station=station, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("驿站信息已更新。"))
            return redirect("stations:keeper")
    return render(request, "stations/station_keeper_form.html", {"station": station, "form": form})
