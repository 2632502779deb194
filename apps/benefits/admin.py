from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_record
from apps.enrolment.models import Roster

from . import services
from .models import Application, Programme, ProviderStaff, Rule, Slot
from .selectors import visible_applications


class ProgrammeForm(forms.ModelForm):
    places = forms.IntegerField(label=_("名额"), min_value=1)
    opens_at = forms.DateTimeField(label=_("申请开始"), required=False)
    closes_at = forms.DateTimeField(label=_("申请截止"), required=False)
    allocation = forms.ChoiceField(label=_("分配方式"), choices=Roster.Allocation.choices)
    hold_hours = forms.IntegerField(label=_("名额保留（小时）"), min_value=1, initial=48)
    waiting_list = forms.BooleanField(label=_("设候补"), required=False, initial=True)

    class Meta:
        model = Programme
        fields = [
            "year",
            "kind",
            "name",
            "description",
            "organiser",
            "providers",
            "channel",
            "proof",
            "needs_appointment",
            "service_starts",
            "service_ends",
            "published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roster = self.instance.roster if self.instance.pk else None
        if roster is not None:
            for name in services.setup.ROSTER_FIELDS:
                self.fields[name].initial = getattr(roster, name)

    def roster_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.setup.ROSTER_FIELDS}


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    readonly_fields = ("booked",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = ProgrammeForm
    list_display = ("name", "year", "kind", "channel", "published")
    list_filter = ("year", "kind", "published")
    search_fields = ("name",)
    inlines = [RuleInline, SlotInline]
    filter_horizontal = ("providers",)

    def save_model(self, request, obj, form, change):
        try:
            services.programme_save(programme=obj, roster_fields=form.roster_fields())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        audit_record(actor=request.user, action="change" if change else "create", obj=obj, detail="programme set-up")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.setup.priority_groups_sync(form.instance)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only, and only what the viewer may see (others get the admin's "does not exist")."""

    list_display = ("reference", "programme", "channel", "created_at")
    list_filter = ("programme__year", "programme__kind", "channel")
    search_fields = ("reference",)
    list_select_related = ("programme",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=visible_applications(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            audit_record(actor=request.user, action="view", obj=obj, detail="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ProviderStaff)
class ProviderStaffAdmin(admin.ModelAdmin):
    list_display = ("provider", "user")
    raw_id_fields = ("user",)
