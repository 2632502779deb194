"""The HTML of /stations/'s long repeated parts: the station rows and the filter sheet's choices.

They are written here in Python, escaped once each with the standard library, rather than by
template loops: a loop of twenty rows with a dozen variables each, plus the town and amenity
choices, cost more than the rest of the page. Everything else stays in station_list.html; the
markup below must stay in step with its styles (static/css/stations.css) and with the
data-testid hooks that stations.js and the browser tests use.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.core.geo import format_distance

from .links import amap_route_url
from .models import Station, station_display_name


def _attr(flag: bool, name: str) -> str:
    return f" {name}" if flag else ""


def station_rows_html(rows: list[dict], amenities: list) -> SafeString:
    """The <li> of each list row (rows from selectors.station_list_page), in order."""
    amenity_names = {str(a.pk): escape(a.name) for a in amenities}
    amenity_rank = {str(a.pk): i for i, a in enumerate(amenities)}
    kinds = {code: escape(str(label)) for code, label in Station.Kind.choices}
    statuses = {code: escape(str(label)) for code, label in Station.Status.choices}
    open_24h, open_now, resting = escape(_("24小时开放")), escape(_("正在开放")), escape(_("现在休息"))
    amenities_label, nav_text, nav_label = escape(_("服务设施")), escape(_("导航")), _("导航到%(name)s")
    base = reverse("stations:detail", args=[0]).rsplit("0/", 1)[0]
    parts = []
    for row in rows:
        name = row["name"]
        if row["is_open"]:
            status = "status--done", open_24h if row["is_24h"] else open_now
        else:
            text = resting if row["status"] == Station.Status.OPEN else statuses.get(row["status"], "")
            status = "status--stale", text
        distance = row.get("distance")
        distance_html = (
            f'<span class="distance" data-testid="distance">{escape(format_distance(distance))}</span>'
            if distance is not None
            else ""
        )
        ids = sorted(filter(None, (row["amenity_ids"] or "").split(",")), key=lambda pk: amenity_rank.get(pk, 1_000))
        chips = "".join(f'<span class="amenity-chip">{amenity_names[pk]}</span>' for pk in ids if pk in amenity_names)
        nav = ""
        if row["latitude"] is not None and row["longitude"] is not None:
            route = amap_route_url(lat=float(row["latitude"]), lng=float(row["longitude"]), name=name)
            nav = (
                f'<a class="btn nav-btn" href="{escape(route)}" rel="noopener" target="_blank" data-testid="row-nav"'
                f' aria-label="{escape(nav_label % {"name": name})}">{nav_text}</a>'
            )
        parts.append(
            f'<li class="list-item station-row" data-testid="station-item">'
            f'<a class="station-row-main" href="{base}{row["pk"]}/">'
            f'<span class="station-line"><strong class="station-name">'
            f"{escape(station_display_name(name, row['brand']))}</strong> {distance_html}</span>"
            f' <span class="station-meta"><span class="tag">{kinds.get(row["kind"], escape(row["kind"]))}</span>'
            f' <span class="status {status[0]}">{status[1]}</span>'
            f' <span class="muted small">{escape(row["town__name"])} · {escape(row["address"])}</span></span>'
            f' <span class="amenity-icons" role="img" aria-label="{amenities_label}">{chips}</span>'
            f"</a> {nav}</li>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def filter_choices_html(data, amenities: list, towns: list, kinds: list, town_empty: str) -> dict[str, SafeString]:
    """The amenity chips and the kind and town options of the filter sheet, ticked as ``data`` says."""
    ticked = set(data.getlist("amenity")) if hasattr(data, "getlist") else set()
    kind, town = data.get("kind", ""), data.get("town", "")
    chips = "\n".join(
        f'<label class="chip"><input type="checkbox" name="amenity" value="{escape(a.code)}" id="id_amenity_{i}"'
        f"{_attr(a.code in ticked, 'checked')}> <span>{escape(a.name)}</span></label>"
        for i, a in enumerate(amenities)
    )
    kind_options = "".join(
        f'<option value="{escape(code)}"{_attr(code == kind and code != "", "selected")}>{escape(str(label))}</option>'
        for code, label in kinds
    )
    town_options = f'<option value="">{escape(str(town_empty))}</option>' + "".join(
        f'<option value="{t.pk}"{_attr(str(t.pk) == town, "selected")}>{escape(t.name)}</option>' for t in towns
    )
    return {
        "amenity_chips": mark_safe(chips),  # noqa: S308 - escaped above
        "kind_options": mark_safe(kind_options),  # noqa: S308
        "town_options": mark_safe(town_options),  # noqa: S308
    }
