"""Admin for the 帮扶中心: every row through the pages' visible queryset, read-mostly, each view
logged; the help-given ledger can be neither edited nor deleted (corrections are reversing rows)."""

from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from . import selectors
from .models import Document, Event, HelpRequest, HomeVisit, LedgerEntry, Objection
from .services.common import is_officer


class PrivateAdminMixin:
    """Only assistance officers (and superusers) see these rows; to anyone else they do not exist."""

    def _private_ok(self, request):
        return request.user.is_active and is_officer(request.user)

    def get_queryset(self, request):
        return self.model.objects.filter(pk__in=self._visible(request.user).values("pk"))

    def _visible(self, user):
        return selectors.requests_visible(user)

    def has_module_permission(self, request):
        return self._private_ok(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._private_ok(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through the case page's services (timeline, audit, checks)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self._private_ok(request):
            raise Http404
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self._private_ok(request):
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=_case_of(obj), detail=_("管理后台查看"))
        return obj


def _case_of(obj):
    return obj if isinstance(obj, HelpRequest) else obj.request


class LedgerInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    fields = ["date", "kind", "amount", "description", "reverses", "entered_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(PrivateAdminMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "applicant_name",
        "town",
        "union",
        "state",
        "band",
        "submitted_at",
        "recheck_due_on",
        "is_demo",
    ]
    list_filter = ["state", "band", "reason", "is_demo"]
    list_select_related = ["town", "union"]
    search_fields = ["applicant_name"]
    inlines = [LedgerInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class _ChildAdmin(PrivateAdminMixin, admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model.objects.filter(request__in=selectors.requests_visible(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(_ChildAdmin):
    list_display = ["request", "date", "kind", "amount", "description", "reverses"]
    list_filter = ["kind"]


@admin.register(Objection)
class ObjectionAdmin(_ChildAdmin):
    list_display = ["request", "created_at", "by"]


@admin.register(HomeVisit)
class HomeVisitAdmin(_ChildAdmin):
    list_display = ["request", "visited_on", "visitor_one", "visitor_two"]


@admin.register(Document)
class DocumentAdmin(_ChildAdmin):
    list_display = ["request", "kind", "created_at"]
    exclude = ["file"]  # served only through the checked download view

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "file"]


@admin.register(Event)
class EventAdmin(_ChildAdmin):
    list_display = ["request", "at", "state", "note"]
