from django.contrib import admin

from .models import ChannelDelivery, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "key", "user__username", "user__real_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    """What happened to each reminder on WeChat, SMS and e-mail (read only: the rules decide)."""

    list_display = ["notification", "channel", "status", "started_at", "finished_at", "error"]
    list_filter = ["channel", "status"]
    search_fields = ["notification__title", "notification__user__username", "address"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]
    readonly_fields = [f.name for f in ChannelDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
