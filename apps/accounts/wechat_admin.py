from django.contrib import admin

from .wechat_models import WeChatBinding


@admin.register(WeChatBinding)
class WeChatBindingAdmin(admin.ModelAdmin):
    list_display = ["user", "app", "subscribed", "created_at"]
    list_filter = ["app", "subscribed"]
    search_fields = ["user__username", "user__real_name", "openid"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["openid", "unionid", "created_at", "updated_at"]
