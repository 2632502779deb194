from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import redirect_next

from . import kinds
from .models import Delivery, Notification, NotificationPreference
from .services import notifications_mark_read, preference_set


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
    """E-mail per kind of reminder: immediately, a daily or weekly digest, or none."""
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    all_kinds = kinds.all_kinds()
    if request.method == "POST":
        with transaction.atomic():
            for kind in all_kinds:
                chosen = request.POST.get(f"delivery-{kind}", Delivery.IMMEDIATE)
                if chosen not in Delivery.values:
                    messages.error(request, _("请选择有效的邮件方式。"))
                    transaction.set_rollback(True)
                    return redirect("reminders:preferences")
                preference_set(user=request.user, kind=kind, delivery=chosen)
        messages.success(request, _("提醒设置已保存。"))
        return redirect("reminders:preferences")
    rows = [{"kind": k, "label": v, "delivery": current.get(k, Delivery.IMMEDIATE)} for k, v in all_kinds.items()]
    return render(
        request,
        "reminders/preferences.html",
        {"rows": rows, "choices": Delivery.choices, "has_email": bool(request.user.email)},
    )
