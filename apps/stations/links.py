"""Links out to Chinese map apps, and the QR code for a station's door."""

import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg


def amap_marker_url(*, lat: float, lng: float, name: str) -> str:
    """高德地图 marker page (opens the app on a phone); we give WGS-84 and say so."""
    query = urlencode({"position": f"{lng:.6f},{lat:.6f}", "name": name, "coordinate": "wgs84", "callnative": 1})
    return f"https://uri.amap.com/marker?{query}"


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
