"""QR codes drawn here as SVG (no outside service)."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    text = out.getvalue().decode()
    return text[text.index("<svg") :]  # without the XML declaration, to sit inside the page
