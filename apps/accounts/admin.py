from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "real_name", "phone", "employer", "town", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "town"]
    search_fields = ["username", "real_name", "phone", "email"]
    list_select_related = ["employer", "town"]
    autocomplete_fields = ["employer", "town"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("工会信息"), {"fields": ("real_name", "phone", "employer", "town")}),)


from . import wechat_admin  # noqa: E402,F401  (WeChat bindings)
