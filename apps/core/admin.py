from django.contrib import admin

from .models import Organization, Town


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
