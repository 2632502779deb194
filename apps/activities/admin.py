from django.contrib import admin

from .models import Activity, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("occasion", "topic", "head_count")
    raw_id_fields = ("occasion",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("full_title", "kind", "organiser", "starts_on", "status", "is_demo")
    list_filter = ("kind", "status", "audience", "is_demo")
    list_select_related = ("organiser",)
    search_fields = ("title", "place_name")
    # The roster, its dates and the status follow the services (the organiser's pages).
    readonly_fields = ("roster", "starts_on", "ends_on", "status", "cancel_reason")
    inlines = [SessionInline]
