"""Private uploads (consultation papers, case files, certificate scans, project proofs).

They are stored outside the public media folder under a generated name whose extension
comes from the checked content (never from the uploader's name), and are only ever sent
by :func:`private_file_response` from a view that has already checked who may see the
record — as a download with the right type and ``nosniff``, never rendered in the page.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .uploads import clean_image, document_kind, image_format, validate_image, validate_upload_size

# extension -> content type: the only kinds of private file the portal keeps.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
_PIL_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """File storage under PRIVATE_MEDIA_ROOT (read at use, so tests can move it); no URL."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        # No public address, ever: forms and the admin then show no "currently: <link>", and a
        # template that asks for .url gets nothing to follow. Link to the record's checked view.
        return ""


private_storage = PrivateStorage()


def detected_extension(file) -> str:
    """The file's real kind from its content (PDF, image, Office), else a clear error.

    Uses the one signature table and the one image check of ``core.uploads``: an image over the
    pixel limit (a decompression bomb included) is refused with the limit, never a 500."""
    validate_upload_size(file)
    name = (getattr(file, "name", "") or "").lower()
    kind = document_kind(file)
    if kind == "pdf":
        return "pdf"
    if kind == "office-zip":
        return "xlsx" if name.endswith(".xlsx") else "docx"
    if kind == "office-ole":
        return "xls" if name.endswith(".xls") else "doc"
    fmt = image_format(file)
    if fmt in _PIL_EXT:
        validate_image(file)
        return _PIL_EXT[fmt]
    raise ValidationError(
        _("附件「%(name)s」不是有效的 PDF、图片或 Word/Excel 文件。") % {"name": os.path.basename(name) or "?"},
        code="invalid_attachment",
    )


def validate_private_file(file) -> None:
    """Validator for a private file field: size and real content."""
    detected_extension(file)


def checked_file(file):
    """Check an upload and name it by its real kind (``upload.pdf``), ready to store.

    An image goes through the same cleaning as public ones: re-encoded with its EXIF rotation
    applied and every metadata field — GPS position included — dropped."""
    ext = detected_extension(file)
    if ext in ("jpg", "png", "webp"):
        cleaned = clean_image(file)
        cleaned.name = f"upload.{ext}"
        return cleaned
    file.name = f"upload.{ext}"
    return file


@deconstructible
class PrivateUploadTo:
    """``upload_to`` naming files ``<folder>/<yyyy>/<uuid>.<ext>``; unknown kinds get ``.bin``.

    A class (not a closure) so migrations can serialise it. Services pass files through
    :func:`checked_file` first, so the extension is the one the content was checked to be.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        from django.utils import timezone

        ext = os.path.splitext(filename)[1].lstrip(".").lower()
        if ext not in ALLOWED_TYPES:
            ext = "bin"
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


def private_upload_to(folder: str) -> PrivateUploadTo:
    return PrivateUploadTo(folder)


def private_file_response(field_file, *, download_name: str = "") -> FileResponse:
    """Send a private file the caller has already checked: as an attachment, typed, nosniff."""
    if not field_file:
        raise Http404
    ext = os.path.splitext(field_file.name)[1].lstrip(".").lower()
    content_type = ALLOWED_TYPES.get(ext, "application/octet-stream")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = download_name or os.path.basename(field_file.name)
    if not name.lower().endswith(f".{ext}"):
        name = f"{name}.{ext}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
