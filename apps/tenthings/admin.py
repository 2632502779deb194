from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .excel import PlanImportError, plan_export_response, plan_import
from .models import (
    Follow,
    Indicator,
    Item,
    ItemEvent,
    LinkedSnapshot,
    Plan,
    ProgressReport,
    Rating,
    ReportPhoto,
    ResponsibilityRecord,
    Task,
)


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["number", "title", "lead_unit", "responsible", "weight"]
    autocomplete_fields = ["lead_unit", "responsible"]
    extra = 0
    show_change_link = True


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "meeting", "voted_on", "published"]
    list_filter = ["published"]
    search_fields = ["title", "meeting"]
    inlines = [ItemInline]
    actions = ["export_xlsx"]
    change_list_template = "admin/tenthings/plan/change_list.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        plan = form.instance
        # As the import does: an item without indicators would read 0 % and pull the plan down.
        empty = list(plan.items.filter(indicators__isnull=True).values_list("number", flat=True))
        if plan.published and empty:
            Plan.objects.filter(pk=plan.pk).update(published=False)
            self.message_user(
                request,
                _("事项 %(numbers)s 没有任何指标，计划未发布：请先为每个事项添加指标。")
                % {"numbers": "、".join(str(n) for n in empty)},
                messages.ERROR,
            )

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="tenthings_plan_import"),
            path("<int:pk>/export/", self.admin_site.admin_view(self.export_view), name="tenthings_plan_export"),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return HttpResponse(status=403)
        form = PlanImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                plan = plan_import(form.cleaned_data["file"].read(), actor=request.user)
            except PlanImportError as exc:
                errors = exc.errors
            else:
                self.message_user(request, _("已导入 %(plan)s。") % {"plan": plan}, messages.SUCCESS)
                return redirect(reverse("admin:tenthings_plan_change", args=[plan.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": _("从 Excel 导入十件实事"),
            "opts": self.model._meta,
        }
        return render(request, "admin/tenthings/plan/import.html", context)

    def export_view(self, request, pk):
        plan = get_object_or_404(Plan, pk=pk)
        if not self.has_view_permission(request, plan):
            raise PermissionDenied
        return plan_export_response(plan)

    @admin.action(description=_("导出所选计划为 Excel（仅第一个）"))
    def export_xlsx(self, request, queryset):
        plan = queryset.first()
        return redirect(reverse("admin:tenthings_plan_export", args=[plan.pk])) if plan else None


class LinkedMetricChoices:
    """The 联动指标 field as a list of the metrics installed apps offer (never typed by hand)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "metric_key":
            from apps.core import registry

            choices = [("", _("（手工填报）")), *registry.metric_choices()]
            return forms.ChoiceField(label=db_field.verbose_name, choices=choices, required=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class IndicatorInline(LinkedMetricChoices, admin.TabularInline):
    model = Indicator
    fields = ["name", "kind", "comparator", "target", "unit", "due_date", "weight", "metric_key", "sort_order"]
    extra = 0


class TaskInline(admin.TabularInline):
    model = Task
    fields = ["what", "who", "due_date", "done_on"]
    extra = 0


class ResponsibilityRecordInline(admin.TabularInline):
    model = ResponsibilityRecord
    fields = ["unit", "signer", "signed_on", "scan"]
    autocomplete_fields = ["unit"]
    extra = 0


class ResponsibleSetFilter(admin.SimpleListFilter):
    title = _("责任人")
    parameter_name = "responsible_set"

    def lookups(self, request, model_admin):
        return [("no", _("未指定责任人")), ("yes", _("已指定"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(responsible__isnull=True)
        if self.value() == "yes":
            return queryset.filter(responsible__isnull=False)
        return queryset


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "lead_unit", "responsible_shown", "recorded_status"]
    list_filter = ["plan__year", ResponsibleSetFilter, "recorded_status"]
    list_select_related = ["plan", "lead_unit", "responsible"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["lead_unit", "co_units", "responsible"]
    inlines = [IndicatorInline, TaskInline, ResponsibilityRecordInline]

    @admin.display(description=_("责任人"), ordering="responsible__real_name")
    def responsible_shown(self, obj):
        """The responsible person, or a red flag: nobody is asked for this item's reports."""
        if obj.responsible is None:
            return format_html('<strong style="color:#c0392b">{}</strong>', _("未指定责任人"))
        return obj.responsible.display_name

    def save_formset(self, request, form, formset, change):
        # Target changes of existing indicators go through the service so the history keeps them.
        if formset.model is Indicator:
            for sub in formset.forms:
                if sub.instance.pk and "target" in sub.changed_data and not sub.cleaned_data.get("DELETE"):
                    new_target = sub.cleaned_data["target"]
                    try:
                        services.indicator_target_change(
                            indicator=Indicator.objects.get(pk=sub.instance.pk), target=new_target, actor=request.user
                        )
                    except ValidationError as exc:
                        self.message_user(request, " ".join(exc.messages), messages.ERROR)
        super().save_formset(request, form, formset, change)


@admin.register(Indicator)
class IndicatorAdmin(LinkedMetricChoices, admin.ModelAdmin):
    list_display = ["name", "item", "kind", "target", "unit", "metric_key"]
    list_filter = ["kind", "item__plan__year"]
    list_select_related = ["item__plan"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if change and "target" in form.changed_data and obj.kind == Indicator.Kind.QUANTITY:
            services.indicator_target_change(indicator=obj, target=obj.target, actor=request.user)
            return
        super().save_model(request, obj, form, change)


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    fields = ["image", "caption"]
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["indicator", "item_title", "reported_on", "amount", "milestone_done", "reporter", "status"]
    list_filter = ["status", "is_demo", "indicator__item__plan__year"]
    list_select_related = ["indicator__item__plan", "reporter"]
    search_fields = ["narrative", "indicator__name", "indicator__item__title"]
    readonly_fields = [
        "status",
        "reviewed_by",
        "reviewed_at",
        "late_reason",
        "withdrawn_at",
        "withdrawn_by",
        "withdraw_reason",
        "attachment_link",
        "is_demo",  # load_demo's
    ]
    exclude = ["attachment"]

    @admin.display(description=_("附件"))
    def attachment_link(self, obj):
        if not obj or not obj.attachment:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("tenthings:report_attachment", args=[obj.pk]), _("下载附件"))

    raw_id_fields = ["indicator", "reporter"]
    inlines = [ReportPhotoInline]
    actions = ["verify_selected"]

    @admin.display(description=_("实事项目"))
    def item_title(self, obj):
        return obj.indicator.item.title

    def has_add_permission(self, request):
        # Reports come in through report_submit's rules (the 填报 page), never around them.
        return False

    def has_change_permission(self, request, obj=None):
        # A report is changed only by the services (verify, return, withdraw with a reason): a form
        # here would bypass their rules (the plan year, the grace date, the four eyes).
        return False

    def has_delete_permission(self, request, obj=None):
        # Figures of record are never deleted: a verified report is withdrawn with a reason.
        return False

    @admin.action(description=_("核实所选填报"), permissions=["verify"])
    def verify_selected(self, request, queryset):
        done = 0
        for report in queryset.filter(status=ProgressReport.Status.SUBMITTED):
            try:
                services.report_verify(report=report, reviewer=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{report}：{' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("已核实 %(n)s 条（退回请到“待核实进展”页面填写意见）。") % {"n": done})

    def has_verify_permission(self, request):
        return request.user.has_perm("tenthings.verify_progressreport")


@admin.register(ItemEvent)
class ItemEventAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "old_value", "new_value", "actor", "happened_on", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["item__plan", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LinkedSnapshot)
class LinkedSnapshotAdmin(admin.ModelAdmin):
    """Verified snapshots of linked figures: taken on the item page by a verifier, never edited."""

    list_display = ["indicator", "value", "taken_on", "verified_by", "created_at"]
    list_select_related = ["indicator__item__plan", "verified_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["item", "user", "stars", "updated_at"]
    list_select_related = ["item__plan", "user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["item", "user", "created_at"]
    list_select_related = ["item__plan", "user"]
