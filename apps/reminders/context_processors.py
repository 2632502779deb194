from django.utils.functional import SimpleLazyObject

from apps.core.personal import kept

from .models import Notification


def unread_notifications(request):
    """Unread count for the header badge; lazy so pages that do not show it pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Kept with the person until a notification of theirs is sent or read (apps/core/personal.py).
    count = lambda: kept(user, "unread_notifications", Notification.objects.for_user(user).unread().count)  # noqa: E731
    return {"unread_notifications": SimpleLazyObject(count)}
