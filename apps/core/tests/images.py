"""Image bytes for upload tests, made in memory."""

import io
import struct
import zlib

from PIL import Image


def png_bytes(size=(40, 30), color=(200, 22, 29)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(size=(60, 40), orientation=6, gps=True) -> bytes:
    """A JPEG whose EXIF says 'rotate 90°' and carries a GPS position."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "TestCam"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (32.0, 56.0, 0.0), 3: "E", 4: (119.0, 50.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def huge_png_header(width=20000, height=20000) -> bytes:
    """A tiny file that claims 20000×20000 pixels: a decompression bomb in waiting."""
    raw = png_bytes((1, 1))
    ihdr_data = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr_data
    ihdr = struct.pack(">I", len(ihdr_data)) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    # signature (8) + original IHDR (4 len + 4 type + 13 data + 4 crc = 25)
    return raw[:8] + ihdr + raw[8 + 25 :]
