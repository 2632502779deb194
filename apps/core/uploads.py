"""The one place where uploads are checked and cleaned.

Every image the portal accepts goes through :func:`validate_image` (real content, size and
pixel limits) and is stored as re-encoded by :func:`clean_image` (EXIF rotation applied, all
metadata — including GPS location — dropped). Models use :class:`ImageField` below, forms
get :class:`ImageFormField` from it, so admin, public forms and services share the rules.
"""

import io
import os
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# The one table of document signatures (first bytes -> kind), for public and private files alike.
DOCUMENT_SIGNATURES = {
    b"%PDF-": "pdf",
    b"PK\x03\x04": "office-zip",  # docx / xlsx
    b"\xd0\xcf\x11\xe0": "office-ole",  # doc / xls
}


def document_kind(file) -> str | None:
    """ "pdf", "office-zip" or "office-ole" from the file's first bytes (never its name), else None."""
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(8)
    if hasattr(file, "seek"):
        file.seek(0)
    return next((kind for sig, kind in DOCUMENT_SIGNATURES.items() if head.startswith(sig)), None)


def image_format(file) -> str | None:
    """Pillow's format name of an image upload (read from the header, bomb-safe), else None.

    A decompression bomb is refused here with the pixel-limit message, never a 500."""
    try:
        image = _open_image(file)
    except ValidationError as error:
        if error.code == "image_too_large":
            raise
        return None
    try:
        return image.format
    finally:
        image.close()


def validate_upload_size(file) -> None:
    """Refuse a file larger than UPLOAD_MAX_BYTES, naming the limit."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        return
    if size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），单个文件不能超过 %(limit)s。")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def _open_image(file) -> Image.Image:
    # Pillow closes the stream it was given on verify(); work on an in-memory copy (the
    # size limit was checked first) so the caller's upload stays readable.
    if hasattr(file, "seek"):
        file.seek(0)
    data = io.BytesIO(file.read())
    if hasattr(file, "seek"):
        file.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x MAX_IMAGE_PIXELS; we want an error for any
        # image over our own limit, checked on the header before any pixel is decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(_too_many_pixels(), code="image_too_large") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                _("上传的文件不是有效的图片（支持 JPG、PNG、WebP、GIF）。"), code="invalid_image"
            ) from None
    return image


def _too_many_pixels(limit: int | None = None) -> str:
    limit = limit or settings.IMAGE_MAX_PIXELS
    return _("图片尺寸过大，像素总数不能超过 %(limit)s 万。") % {"limit": limit // 10_000}


def validate_image(file, *, max_pixels: int | None = None) -> None:
    """Check that an upload is a real image within the size and pixel limits (the field's own
    ``max_pixels`` when it has one: an avatar needs far fewer than a news photo)."""
    if getattr(file, "_committed", False) and hasattr(file, "instance"):
        return  # already stored, so already checked: editing other fields re-reads nothing
    validate_upload_size(file)
    image = _open_image(file)
    try:
        if image.format not in ALLOWED_IMAGE_FORMATS:
            raise ValidationError(_("不支持的图片格式，请上传 JPG、PNG、WebP 或 GIF。"), code="invalid_image")
        width, height = image.size
        limit = min(max_pixels or settings.IMAGE_MAX_PIXELS, settings.IMAGE_MAX_PIXELS)
        if width * height > limit:
            raise ValidationError(_too_many_pixels(limit), code="image_too_large")
        try:
            image.verify()
        except Exception:
            raise ValidationError(_("图片文件已损坏，无法读取。"), code="invalid_image") from None
    finally:
        image.close()
        if hasattr(file, "seek"):
            file.seek(0)


def clean_image(file, *, max_side: int | None = None) -> ContentFile:
    """Re-encode an image: apply EXIF rotation, drop all metadata, cap the longest side."""
    validate_image(file)
    max_side = max_side or settings.IMAGE_MAX_SIDE
    image = _open_image(file)
    fmt = image.format
    try:
        image = ImageOps.exif_transpose(image)
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if fmt == "JPEG":
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(out, "JPEG", quality=85, optimize=True)
        elif fmt == "GIF":
            image.save(out, "GIF")
        else:
            image.save(out, fmt)
    finally:
        image.close()
    stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or "image"))[0]
    stem = get_valid_filename(stem)[:60] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_IMAGE_FORMATS[fmt]}")


def validate_document(file) -> None:
    """Check an attachment (PDF, Office) by its first bytes, not its name, and its size."""
    validate_upload_size(file)
    if document_kind(file) is None:
        raise ValidationError(_("附件格式不支持，请上传 PDF、Word 或 Excel 文件。"), code="invalid_document")


def validate_pdf(file) -> None:
    """Only a real PDF (checked by content) within the size limit."""
    validate_upload_size(file)
    if document_kind(file) != "pdf":
        raise ValidationError(_("请上传 PDF 文件。"), code="invalid_pdf")


class ImageFormField(forms.ImageField):
    """Form side: our clear messages come before Django's generic 'not an image'."""

    def __init__(self, *args, max_pixels: int | None = None, **kwargs):
        self.max_pixels = max_pixels
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data, max_pixels=self.max_pixels)
        return super().to_python(data)


@deconstructible
class ImageLimits:
    """The model field's validator: a real image within the field's pixel limit."""

    def __init__(self, max_pixels: int | None = None):
        self.max_pixels = max_pixels

    def __call__(self, file):
        validate_image(file, max_pixels=self.max_pixels)

    def __eq__(self, other):
        return isinstance(other, ImageLimits) and other.max_pixels == self.max_pixels


class ImageField(models.ImageField):
    """Model image field of the portal: validated, stored re-encoded without metadata, and the
    file it replaces deleted once the change is committed (no orphaned uploads)."""

    def __init__(self, *args, max_pixels: int | None = None, **kwargs):
        self.max_pixels = max_pixels
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        return [ImageLimits(self.max_pixels), *self._validators]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, "max_pixels": self.max_pixels, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = clean_image(file.file)
            file.file = cleaned
            file.name = cleaned.name
            if not add and model_instance.pk:
                self._delete_replaced_on_commit(model_instance)
        elif not file and not add and model_instance.pk:
            self._delete_replaced_on_commit(model_instance)  # cleared: the old file goes too
        return super().pre_save(model_instance, add)

    def _delete_replaced_on_commit(self, model_instance):
        old = (
            type(model_instance)._base_manager.filter(pk=model_instance.pk).values_list(self.attname, flat=True).first()
        )
        if not old:
            return
        storage = self.storage

        def delete():
            current = getattr(model_instance, self.attname)
            if old != (current.name if current else "") and storage.exists(old):
                storage.delete(old)

        transaction.on_commit(delete)
