"""The one audit log: ``audit_record(actor=, action=, obj=, detail=)`` appends a line.

Private records (legal consultations and cases, help requests, benefit applications, closed
years) say here who viewed or changed them. The log is append-only (``AuditEntry``).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_record(*, actor, action: str, obj=None, detail: str = "") -> AuditEntry:
    """Append one line: ``actor`` (a user or None/anonymous) did ``action`` to ``obj``."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        detail=str(detail)[:300],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


def audit_entries(obj):
    """The log of one record, newest first, with the actor."""
    return AuditEntry.objects.for_object(obj).select_related("actor")
