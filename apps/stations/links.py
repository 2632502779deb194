"""Links out to Chinese map apps, and the QR code for a station's door."""

import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg


def amap_route_url(*, lat: float, lng: float, name: str) -> str:
    """高德地图 route to the station from wherever the phone is (opens the app's navigation)."""
    query = urlencode(
        {"to": f"{lng:.6f},{lat:.6f},{name}", "coordinate": "wgs84", "callnative": 1, "src": "union_portal.stations"}
    )
    return f"https://uri.amap.com/navigation?{query}"


def loopback_reason(site_url: str) -> str:
    """Why a QR code for ``site_url`` would be useless on a door ('' when it is fine).

    A phone that scans 127.0.0.1 or localhost asks itself for the page, so a door code printed
    from a development setting leads nowhere.
    """
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(site_url).hostname or "").lower()
    if not host:
        return "no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "localhost"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    if address.is_loopback or address.is_unspecified:
        return "loopback"
    return ""


def baidu_marker_url(*, lat: float, lng: float, name: str, address: str = "") -> str:
    """百度地图 marker page; coord_type=wgs84 lets Baidu convert our GPS point itself."""
    query = urlencode(
        {
            "location": f"{lat:.6f},{lng:.6f}",
            "title": name,
            "content": address or name,
            "output": "html",
            "coord_type": "wgs84",
            "src": "union_portal.stations",
        }
    )
    return f"https://api.map.baidu.com/marker?{query}"


def qr_svg(data: str) -> bytes:
    """An SVG QR code for ``data`` (made here, no outside service)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
