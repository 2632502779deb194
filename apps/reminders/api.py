"""A worker's notification inbox through ``/api/v1/reminders/``: list (newest first, by cursor),
mark read. Only the person's own notifications exist for them: anyone else's is 404."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from apps.core.api import ERRORS, cursor_page, session_token

from .models import Notification
from .services import notifications_mark_read

router = Router(tags=["reminders"], auth=session_token)


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class MarkReadIn(Schema):
    """The notifications to mark read; none given: all of them."""

    ids: list[int] | None = None


class MarkedOut(Schema):
    marked: int


def _notification(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": str(n.kind_label),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, 401: ERRORS[401], 422: ERRORS[422]},
    summary="我的通知",
    url_name="reminders_notifications",
)
def notifications(request, unread: bool = False, cursor: str | None = None, limit: int = 20):
    """My notifications, newest first (``unread=true``: only those not read yet)."""
    qs = Notification.objects.for_user(request.user)
    if unread:
        qs = qs.unread()
    rows, next_cursor = cursor_page(qs, cursor=cursor, limit=limit, ordering=("-created_at", "-id"))
    count = Notification.objects.for_user(request.user).unread().count()
    return {"items": [_notification(n) for n in rows], "unread": count, "next_cursor": next_cursor}


@router.post(
    "/notifications/read",
    response={200: MarkedOut, 401: ERRORS[401], 422: ERRORS[422]},
    summary="标记已读",
    url_name="reminders_mark_read",
)
def mark_read(request, payload: MarkReadIn):
    """Mark some of my notifications read (others' ids are ignored), or all of them."""
    return {"marked": notifications_mark_read(user=request.user, ids=payload.ids)}


@router.post(
    "/notifications/{pk}/read",
    response={200: NotificationOut, 401: ERRORS[401], 404: ERRORS[404]},
    summary="标记一条已读",
    url_name="reminders_mark_one_read",
)
def mark_one_read(request, pk: int):
    """Mark one of my notifications read (404 for anyone else's)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    notification.refresh_from_db(fields=["read_at"])
    return _notification(notification)
