from django.contrib import admin

from .models import AuditEntry, CalendarDay, Organization, Town


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "town"]
    list_filter = ["kind", "town"]
    search_fields = ["name", "short_name"]
    list_select_related = ["town"]
    autocomplete_fields = ["town"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "day"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched, never added to, changed or deleted by hand."""

    list_display = ["at", "actor", "action", "content_type", "object_repr", "detail"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "detail", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
