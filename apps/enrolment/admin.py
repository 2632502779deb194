from django.contrib import admin

from .models import Attendance, Enrolment, NominationQuota, Occasion, PriorityGroup, Roster, Satisfaction


class PriorityGroupInline(admin.TabularInline):
    model = PriorityGroup
    extra = 0


class NominationQuotaInline(admin.TabularInline):
    model = NominationQuota
    extra = 0


class OccasionInline(admin.TabularInline):
    model = Occasion
    extra = 0


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ("title", "places", "taken", "waiting", "applied", "allocation", "is_open")
    list_filter = ("allocation", "audience", "is_open")
    search_fields = ("title",)
    readonly_fields = ("taken", "waiting", "applied", "draw_seed", "drawn_at")
    inlines = [PriorityGroupInline, NominationQuotaInline, OccasionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("roster", "person", "state", "channel", "draw_number", "created_at")
    list_filter = ("state", "channel")
    list_select_related = ("roster", "person")
    search_fields = ("roster__title", "person__username", "person__real_name")
    raw_id_fields = ("person", "roster", "cancelled_by")
    # States change only through the services (under the roster lock), never by hand here.
    readonly_fields = ("state", "draw_number", "offered_at", "offer_expires_at", "confirmed_at", "queued_at")


admin.site.register(Attendance)
admin.site.register(Satisfaction)
