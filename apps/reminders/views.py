from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core.http import redirect_next

from . import kinds
from .models import Delivery, Notification, NotificationPreference
from .services import notifications_mark_read


@login_required
def inbox(request):
    """My notifications, newest first, paginated."""
    qs = Notification.objects.for_user(request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "reminders/inbox.html", {"page_obj": page, "only_unread": bool(request.GET.get("unread"))})


@login_required
def open_notification(request, pk: int):
    """Mark one of my notifications read and go where it points (404 for anyone else's)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect_next(request, reverse("reminders:inbox"), value=notification.url or "")


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, _("已将 %(count)d 条通知标记为已读。") % {"count": count})
    return redirect("reminders:inbox")


@login_required
def preferences(request):
    """Per kind the person can receive: the channels they have and the kind allows."""
    from .settings_page import CHANNEL_LABELS, settings_rows, settings_save

    if request.method == "POST":
        if not settings_save(request.user, request.POST):
            messages.error(request, _("请选择有效的邮件方式。"))
        else:
            messages.success(request, _("提醒设置已保存。"))
        return redirect("reminders:preferences")
    have, rows = settings_rows(request.user)
    return render(
        request,
        "reminders/preferences.html",
        {
            "rows": rows,
            "channels": [(channel, CHANNEL_LABELS[channel]) for channel in have],
            "has_wechat": "wechat" in have,
            "has_sms": "sms" in have,
            "has_email": "email" in have,
            "choices": Delivery.choices,
        },
    )


@csrf_exempt  # RFC 8058 one-click: the mail system POSTs without a form; the signed token is the key
@never_cache
def unsubscribe(request, token: str):
    """One click from the e-mail's List-Unsubscribe: switch off e-mail for that kind (or the
    digest's kinds); GET shows what it will do and asks to confirm."""
    from django.contrib.auth import get_user_model

    from .emails import unsubscribe_read

    data = unsubscribe_read(token)
    user = get_user_model().objects.filter(pk=(data or {}).get("u"), is_active=True).first() if data else None
    if user is None:
        return render(request, "reminders/unsubscribe.html", {"invalid": True}, status=404)
    labels = [kinds.label(kind) for kind in data["k"]]
    done = False
    if request.method == "POST":
        for kind in data["k"]:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery.OFF})
        done = True
    return render(request, "reminders/unsubscribe.html", {"labels": labels, "done": done})
