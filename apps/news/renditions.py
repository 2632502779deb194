"""Resized copies of article covers, made once per cover and reused by every page.

Lists never serve the original upload: they use the ``thumb`` or ``card`` rendition; the
detail page uses ``full``. Each rendition exists as JPEG and, where Pillow can write it, WebP.
"""

import hashlib
import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, features

# name -> (width, height or None to keep the aspect ratio)
SIZES = {
    "thumb": (320, 180),
    "card": (640, 360),
    "full": (1200, None),
}


def webp_supported() -> bool:
    return bool(features.check("webp"))


def _resize(image: Image.Image, width: int, height: int | None) -> Image.Image:
    if height:
        return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    if image.width <= width:
        return image.copy()
    ratio = width / image.width
    return image.resize((width, max(1, round(image.height * ratio))), Image.Resampling.LANCZOS)


def renditions_build(file_name: str) -> dict:
    """Write every rendition of a stored cover; returns the map saved on the article."""
    digest = hashlib.sha1(file_name.encode()).hexdigest()[:12]
    folder = f"news/renditions/{digest}"
    result: dict = {"source": file_name}
    with default_storage.open(file_name, "rb") as fh:
        image = Image.open(fh)
        image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    for name, (width, height) in SIZES.items():
        resized = _resize(image, width, height)
        entry = {"width": resized.width, "height": resized.height}
        formats = [("jpg", "JPEG", {"quality": 82, "optimize": True, "progressive": True})]
        if webp_supported():
            formats.append(("webp", "WEBP", {"quality": 80, "method": 4}))
        for ext, fmt, options in formats:
            out = io.BytesIO()
            resized.save(out, fmt, **options)
            path = posixpath.join(folder, f"{name}.{ext}")
            if default_storage.exists(path):
                default_storage.delete(path)
            entry[ext] = default_storage.save(path, ContentFile(out.getvalue()))
        result[name] = entry
    return result


def rendition_url(renditions: dict, name: str, ext: str = "jpg") -> str:
    entry = (renditions or {}).get(name) or {}
    return default_storage.url(entry[ext]) if entry.get(ext) else ""
