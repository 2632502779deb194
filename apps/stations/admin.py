from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import (
    Amenity,
    Inspection,
    InspectionItem,
    OpeningHours,
    Rating,
    Report,
    Station,
    StationPhoto,
    Visit,
)


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ["name", "icon", "equipment", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class StationPhotoInline(admin.TabularInline):
    model = StationPhoto
    extra = 0


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "town", "status", "is_24h", "opened_on", "verified_at"]
    list_filter = ["status", "kind", "is_24h", "town", "amenities"]
    list_select_related = ["town"]
    search_fields = ["code", "name", "address", "brand"]
    autocomplete_fields = ["operator", "town", "keepers"]
    filter_horizontal = ["amenities"]
    readonly_fields = ["verified_at", "created_at", "updated_at"]
    inlines = [OpeningHoursInline, StationPhotoInline]
    actions = ["mark_verified"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "brand", "operator", "town", "phone", "description", "honours"]}),
        (_("位置"), {"fields": ["address", "latitude", "longitude"]}),
        (_("开放与设施"), {"fields": ["is_24h", "amenities", "status", "status_reason", "opened_on", "closed_on"]}),
        (_("管理"), {"fields": ["keepers", "verified_at", "created_at", "updated_at"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Never hard-deleted: check-ins and inspections are figures of record. Close it, with a date.
        return False

    @admin.action(description=_("标记为已核实（今天）"))
    def mark_verified(self, request, queryset):
        for station in queryset:
            services.station_verify(station=station)
        self.message_user(
            request, ngettext("已核实 %d 个驿站。", "已核实 %d 个驿站。", queryset.count()) % queryset.count()
        )


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0
    autocomplete_fields = ["amenity"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["station", "inspected_on", "inspector", "next_due"]
    list_filter = ["inspected_on", "station__town"]
    list_select_related = ["station", "inspector"]
    search_fields = ["station__name", "notes"]
    autocomplete_fields = ["station", "inspector"]
    date_hierarchy = "inspected_on"
    inlines = [InspectionItemInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Same rule as the keeper's form: broken or missing equipment reminds keepers and staff.
        if form.instance.items.exclude(state=InspectionItem.State.OK).exists():
            services.inspection_problems_enqueue(inspection=form.instance)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["station", "user", "score", "short_comment", "moderation", "updated_at"]
    list_filter = ["moderation", "score"]
    list_select_related = ["station", "user"]
    search_fields = ["station__name", "comment", "user__username", "user__real_name"]
    readonly_fields = ["station", "user", "score", "comment", "moderated_at"]
    actions = ["approve", "reject"]

    @admin.display(description=_("留言"))
    def short_comment(self, obj):
        return (obj.comment[:40] + "…") if len(obj.comment) > 40 else obj.comment

    @admin.action(description=_("通过所选留言"))
    def approve(self, request, queryset):
        for rating in queryset:
            services.rating_moderate(rating=rating, approve=True)
        self.message_user(request, _("已通过。"), messages.SUCCESS)

    @admin.action(description=_("不通过所选留言"))
    def reject(self, request, queryset):
        for rating in queryset:
            services.rating_moderate(rating=rating, approve=False)
        self.message_user(request, _("已设为不通过。"), messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["station", "kind", "user", "created_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["station", "user"]
    search_fields = ["station__name", "note"]
    readonly_fields = ["station", "user", "kind", "note", "resolved_at"]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False  # reports come from workers on the station page, never typed in by staff

    @admin.action(description=_("标记为已处理"))
    def resolve(self, request, queryset):
        for report in queryset.filter(resolved_at__isnull=True):
            services.report_resolve(report=report)
        self.message_user(request, _("已标记为已处理。"), messages.SUCCESS)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["station", "day", "hour", "occupation", "user"]
    list_filter = ["occupation", "day"]
    list_select_related = ["station", "user"]
    search_fields = ["station__name"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
