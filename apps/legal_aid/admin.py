"""Admin for the 法律工作部. Private records need the private-records permission; the audit log is read-only."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import user_holds
from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from . import selectors, services
from .models import (
    CaseApplicant,
    CaseEvent,
    CaseSession,
    ConflictCheck,
    Consultation,
    DisputeCase,
    DutyShift,
    EventInvitee,
    LawyerProfile,
    LedgerEntry,
    LegalAidAudit,
    LegalEvent,
    LegalStation,
    RotaTemplate,
    ShiftSwap,
    StationMember,
    StationPartner,
)


class PrivateAdminMixin:
    """Nobody without the private-records permission sees these rows, whatever else they hold.

    The rows themselves come from the same visible queryset the pages use (``visible``).
    """

    visible = None  # staticmethod(one of the selectors' ``*_visible(user)``)

    def _private_ok(self, request):
        return request.user.is_active and user_holds(request.user, selectors.PRIVATE_RECORDS)

    def get_queryset(self, request):
        return self.visible(request.user)

    def has_module_permission(self, request):
        return self._private_ok(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._private_ok(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._private_ok(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return False  # made through the services (consent, numbering, timeline)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            audit_record(actor=request.user, action=AuditEntry.Action.VIEW, obj=obj, detail=_("管理后台查看"))
        return obj


class PartnerInline(admin.TabularInline):
    model = StationPartner
    extra = 0
    autocomplete_fields = ["organization"]


class MemberInline(admin.TabularInline):
    model = StationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(LegalStation)
class LegalStationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "town", "status", "opened_on", "is_demo"]
    list_filter = ["kind", "status", "town", "is_demo"]
    list_select_related = ["town"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["town", "host"]
    inlines = [PartnerInline, MemberInline]

    def save_model(self, request, obj, form, change):
        services.station_save(station=obj)


@admin.register(LawyerProfile)
class LawyerProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "firm", "contract_from", "contract_to", "is_demo"]
    list_select_related = ["user", "firm"]
    search_fields = ["user__real_name", "user__username", "firm__name"]
    autocomplete_fields = ["user", "firm", "advised_employers"]
    filter_horizontal = ["stations"]


@admin.register(RotaTemplate)
class RotaTemplateAdmin(admin.ModelAdmin):
    list_display = ["station", "weekday", "start", "end", "lawyer", "mode", "valid_from", "valid_to"]
    list_select_related = ["station", "lawyer__user"]
    list_filter = ["station", "weekday"]
    actions = ["generate_8_weeks"]

    @admin.action(description=_("按模板生成未来 8 周的值班"))
    def generate_8_weeks(self, request, queryset):
        import datetime

        from django.utils import timezone

        until = timezone.localdate() + datetime.timedelta(weeks=8)
        for template in queryset:
            result = services.rota_generate(template=template, until=until, since=timezone.localdate())
            self.message_user(
                request,
                _("%(t)s：新建 %(n)s 个值班，跳过 %(s)s 个")
                % {"t": template, "n": result["made"], "s": len(result["skipped"])},
            )


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "start", "end", "station", "lawyer", "mode", "slots", "status"]
    list_filter = ["status", "mode", "station"]
    list_select_related = ["station", "lawyer__user"]
    date_hierarchy = "date"
    autocomplete_fields = ["lawyer"]

    def save_model(self, request, obj, form, change):
        if change:
            services.shift_check(
                lawyer=obj.lawyer, station=obj.station, date=obj.date, start=obj.start, end=obj.end, exclude_pk=obj.pk
            )
            obj.save()
        else:
            created = services.shift_create(
                station=obj.station,
                lawyer=obj.lawyer,
                date=obj.date,
                start=obj.start,
                end=obj.end,
                mode=obj.mode,
                slots=obj.slots,
            )
            obj.pk = created.pk

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Checked(form):
            def clean(self):
                data = super().clean()
                if all(data.get(f) for f in ("lawyer", "station", "date", "start", "end")):
                    try:
                        services.shift_check(
                            lawyer=data["lawyer"],
                            station=data["station"],
                            date=data["date"],
                            start=data["start"],
                            end=data["end"],
                            exclude_pk=getattr(self.instance, "pk", None),
                        )
                    except ValidationError as exc:
                        raise ValidationError(exc.messages) from None
                return data

        return Checked


@admin.register(ShiftSwap)
class ShiftSwapAdmin(admin.ModelAdmin):
    list_display = ["shift", "to_lawyer", "status", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["shift", "to_lawyer", "status", "decided_by"]
    actions = ["approve"]

    @admin.action(description=_("批准换班"))
    def approve(self, request, queryset):
        for swap in queryset:
            try:
                services.swap_approve(swap=swap, by=request.user)
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), level="error")


class AttachmentInline(admin.TabularInline):
    from .models import Attachment

    model = Attachment
    extra = 0
    fields = ["kind", "created_at"]
    readonly_fields = ["kind", "created_at"]
    can_delete = False


@admin.register(Consultation)
class ConsultationAdmin(PrivateAdminMixin, admin.ModelAdmin):
    visible = staticmethod(selectors.consultations_visible)
    list_display = ["pk", "topic", "station", "status", "outcome", "lawyer", "due_at", "created_at", "is_demo"]
    list_filter = ["status", "topic", "channel", "station", "is_new_form", "is_demo"]
    list_select_related = ["station", "lawyer__user"]
    search_fields = ["pk"]
    readonly_fields = [f.name for f in Consultation._meta.fields]
    inlines = [AttachmentInline]


class ApplicantInline(admin.TabularInline):
    model = CaseApplicant
    extra = 0
    readonly_fields = ["user", "name", "phone", "is_representative"]
    can_delete = False


class SessionInline(admin.TabularInline):
    model = CaseSession
    extra = 0
    readonly_fields = ["held_on", "attendees", "minutes"]
    can_delete = False


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ["created_at", "actor", "stage", "text"]
    can_delete = False


@admin.register(DisputeCase)
class DisputeCaseAdmin(PrivateAdminMixin, admin.ModelAdmin):
    visible = staticmethod(selectors.cases_visible)
    list_display = ["number", "station", "topic", "stage", "amount_claimed", "amount_agreed", "applied_on", "is_demo"]
    list_filter = ["stage", "topic", "station", "is_new_form", "is_demo"]
    list_select_related = ["station"]
    search_fields = ["number"]
    # Mediators are assigned on the case page, through the conflict check; never edited here.
    readonly_fields = [*(f.name for f in DisputeCase._meta.fields if f.name != "performance"), "mediator_names"]
    exclude = ["mediators"]

    @admin.display(description=_("调解员"))
    def mediator_names(self, case):
        return "、".join(m.display_name for m in case.mediators.all())

    inlines = [ApplicantInline, SessionInline, EventInline]


@admin.register(ConflictCheck)
class ConflictCheckAdmin(PrivateAdminMixin, admin.ModelAdmin):
    visible = staticmethod(selectors.conflict_checks_visible)
    list_display = ["created_at", "person", "employer_name", "cleared", "reason", "override_reason", "checked_by"]
    list_filter = ["cleared"]
    readonly_fields = [f.name for f in ConflictCheck._meta.fields]

    def get_object(self, request, object_id, from_field=None):
        return admin.ModelAdmin.get_object(self, request, object_id, from_field)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "station", "channel", "topic", "people", "new_form_people", "consultation", "is_demo"]
    list_filter = ["channel", "topic", "station", "is_demo"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    readonly_fields = ["consultation", "entered_by"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = obj.entered_by or request.user
        super().save_model(request, obj, form, change)


class InviteeInline(admin.TabularInline):
    model = EventInvitee
    extra = 0


@admin.register(LegalEvent)
class LegalEventAdmin(admin.ModelAdmin):
    list_display = ["display_title", "kind", "starts_at", "place", "capacity", "status", "head_count", "is_demo"]
    list_filter = ["kind", "status", "is_demo"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["station"]
    inlines = [InviteeInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Places, the registration deadline and the check-in time follow the event (the enrolment engine's roster).
        services.event_roster(obj)


@admin.register(LegalAidAudit)
class LegalAidAuditAdmin(admin.ModelAdmin):
    """Officers read the lines about consultations and cases; nobody adds, edits or deletes a line."""

    list_display = ["at", "actor", "action", "content_type", "object_repr", "detail"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "detail"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return selectors.audit_visible(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
