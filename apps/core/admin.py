from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, CalendarDay, Organization, Town, UnionStaff


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]


class UnionStaffInline(admin.TabularInline):
    model = UnionStaff
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("工会工作人员")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "union_level", "parent", "covered_by", "town"]
    list_filter = ["kind", "union_level", "town"]
    search_fields = ["name", "short_name"]
    list_select_related = ["town", "parent", "covered_by"]
    autocomplete_fields = ["town", "parent", "covered_by"]
    fields = ["name", "short_name", "kind", "town", "union_level", "parent", "industry", "covered_by"]
    inlines = [UnionStaffInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "industry":
            from django import forms

            from apps.accounts.models import Occupation

            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[("", "—")] + list(Occupation.choices),
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is UnionStaff:
            # A union's staff hold the union_staff role (its group), named per union by these rows.
            from apps.accounts.services import user_role_add
            from apps.core.registry import roles

            if "union_staff" in roles():
                for post in formset.new_objects:
                    user_role_add(user=post.user, role="union_staff")


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
