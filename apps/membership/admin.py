from django.contrib import admin

from .models import Application, LedgerEntry, Member, Transfer, UnionSetupRequest


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["real_name", "union", "route", "state", "submitted_at", "due_on", "decided_at"]
    list_filter = ["state", "route", "occupation"]
    search_fields = ["real_name", "employer_name", "person__phone"]
    list_select_related = ["union"]
    readonly_fields = ["person", "member", "decided_by", "consent_at", "route", "route_reason"]
    autocomplete_fields = ["employer", "union", "town"]

    def has_add_permission(self, request):
        return False  # applications come from workers through 我要入会


class LedgerInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_union", "to_union", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["number", "real_name", "union", "state", "since", "occupation"]
    list_filter = ["state", "occupation"]
    search_fields = ["number", "real_name", "phone"]
    list_select_related = ["union"]
    readonly_fields = ["number", "person", "union", "state", "since", "left_on"]
    autocomplete_fields = ["employer", "town"]
    inlines = [LedgerInline]

    def has_add_permission(self, request):
        return False  # members are made by a decision or an import, each with its ledger row

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is appended by the services and never edited."""

    list_display = ["at", "member", "kind", "from_union", "to_union", "actor"]
    list_filter = ["kind"]
    search_fields = ["member__number", "member__real_name"]
    list_select_related = ["member", "from_union", "to_union", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["member", "from_union", "to_union", "state", "requested_at", "due_on"]
    list_filter = ["state"]
    search_fields = ["member__number", "member__real_name"]
    list_select_related = ["member", "from_union", "to_union"]
    readonly_fields = ["member", "from_union", "to_union", "state", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False


@admin.register(UnionSetupRequest)
class UnionSetupRequestAdmin(admin.ModelAdmin):
    list_display = ["employer_name", "size", "town", "town_union", "state", "due_on"]
    list_filter = ["state", "town"]
    search_fields = ["employer_name", "contact_name"]
    list_select_related = ["town", "town_union"]
    autocomplete_fields = ["town", "town_union"]
    readonly_fields = ["requested_by", "handled_by", "handled_at"]
