from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """Unread count for the header badge; lazy so pages that do not show it pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
