from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AllianceMembership,
    Award,
    Campaign,
    Category,
    Decision,
    ModelWorker,
    Objection,
    PhaseSetting,
    PointsEntry,
    PointsRule,
    Project,
    ProjectEvent,
    Publicity,
    RankingEntry,
    ReviewAssignment,
    ReviewerProfile,
    RubricCriterion,
    ServiceVisit,
    SpecialContract,
    Studio,
    TeamMember,
    TechProblem,
)


class PhaseSettingInline(admin.TabularInline):
    model = PhaseSetting
    extra = 0
    fields = ["phase", "reviewers_write", "scope", "others_reviews", "hide_identity", "starts", "ends"]


class RubricInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "phase", "entry_opens", "entry_closes", "is_demo"]
    list_filter = ["phase"]
    filter_horizontal = ["categories"]
    inlines = [PhaseSettingInline, RubricInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "sort_order"]
    search_fields = ["name"]


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


class EventInline(admin.TabularInline):
    model = ProjectEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "category", "employer", "status", "is_confidential", "is_demo"]
    list_filter = ["campaign", "status", "category", "is_confidential", "is_demo"]
    list_select_related = ["campaign", "category", "employer"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "employer"]
    readonly_fields = ["status", "submitted_at"]
    inlines = [TeamInline, EventInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "titles", "max_load", "is_active"]
    list_select_related = ["user", "employer"]
    autocomplete_fields = ["user", "employer"]
    filter_horizontal = ["specialties"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    """Read here; assignments are made through the campaign page so the employer rule always applies."""

    list_display = ["project", "reviewer", "phase", "automatic", "recused_at", "recusal_reason"]
    list_select_related = ["project", "reviewer"]
    list_filter = ["phase", "automatic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RankingEntry)
class RankingEntryAdmin(admin.ModelAdmin):
    list_display = ["project", "phase", "rank", "mean", "spread", "disagreement", "reviews_count"]
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["project", "level", "recommend_upward", "decided_by", "decided_on"]
    list_select_related = ["project", "decided_by"]

    def has_add_permission(self, request):
        return False


class ObjectionInline(admin.TabularInline):
    model = Objection
    extra = 0
    readonly_fields = ["project", "filed_by", "text", "resolution", "upheld", "resolved_at", "resolved_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publicity)
class PublicityAdmin(admin.ModelAdmin):
    list_display = ["campaign", "starts", "ends"]
    inlines = [ObjectionInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    """Outside awards (Taizhou, province, national) are entered here with their certificate scan."""

    list_display = ["year", "kind", "level", "project", "recipient_name", "issuer", "is_demo"]
    list_filter = ["year", "kind", "is_demo"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "recipient"]
    search_fields = ["recipient_name", "project__title"]
    exclude = ["entered_by"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            award = services.award_record_external(
                kind=obj.kind,
                year=obj.year,
                by=request.user,
                project=obj.project,
                recipient=obj.recipient,
                recipient_name=obj.recipient_name,
                recipient_employer=obj.recipient_employer,
                level=obj.level,
                issuer=obj.issuer,
                certificate=form.cleaned_data.get("certificate") or None,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return
        obj.pk = award.pk


@admin.register(PointsRule)
class PointsRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "points", "split_by_share", "is_active"]
    list_editable = ["is_active"]


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """The ledger is read-only: entries are never changed or deleted; a correction is a reversal."""

    list_display = ["created_at", "person", "rule", "points", "reason", "source", "year", "reverses"]
    list_filter = ["year", "rule"]
    list_select_related = ["person", "rule", "reverses"]
    search_fields = ["person__username", "person__real_name", "reason"]
    actions = ["reverse_entries"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("冲正所选记录"), permissions=["view"])
    def reverse_entries(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                services.points_reverse(entry=entry, by=request.user, reason=str(_("后台冲正")))
                done += 1
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        messages.success(request, _("已冲正 %(n)s 条。") % {"n": done})


@admin.register(ModelWorker)
class ModelWorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "honours", "service_team", "speaker", "public_consent", "is_demo"]
    list_filter = ["service_team", "speaker", "public_consent"]
    search_fields = ["name"]
    autocomplete_fields = ["user", "employer"]


class AllianceInline(admin.StackedInline):
    model = AllianceMembership
    extra = 0


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "leader", "employer", "level", "field", "founded", "is_demo"]
    list_select_related = ["leader", "employer"]
    filter_horizontal = ["members"]
    inlines = [AllianceInline]
    search_fields = ["name"]


@admin.register(ServiceVisit)
class ServiceVisitAdmin(admin.ModelAdmin):
    list_display = ["date", "enterprise", "topic", "workers_trained", "is_demo"]
    list_filter = ["is_demo"]
    date_hierarchy = "date"
    list_select_related = ["enterprise"]
    filter_horizontal = ["team"]
    autocomplete_fields = ["trainees"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from .services import training_points_award

        awarded = training_points_award(visit=form.instance, by=request.user)
        if awarded:
            self.message_user(request, _("已为 %(n)s 名参训职工记积分。") % {"n": awarded})


@admin.register(TechProblem)
class TechProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "enterprise", "status", "posted_on", "claimed_by_studio", "solved_on"]
    list_filter = ["status"]
    list_select_related = ["enterprise", "claimed_by_studio"]
    readonly_fields = ["confirmed_by"]


@admin.register(SpecialContract)
class SpecialContractAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "signed_on", "term_years", "expires_on", "fund", "is_demo"]
    list_select_related = ["enterprise"]
    readonly_fields = ["expires_on"]
