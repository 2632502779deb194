from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.contract import Metric, NavLink, Panel, PortalAppConfig, ReminderKind, Role

OFFICER_PERMISSIONS = tuple(
    f"innovation.{action}_{model}"
    for model in (
        "campaign",
        "phasesetting",
        "rubriccriterion",
        "category",
        "project",
        "teammember",
        "attachment",
        "reviewerprofile",
        "reviewassignment",
        "decision",
        "publicity",
        "objection",
        "award",
        "pointsrule",
        "modelworker",
        "studio",
        "alliancemembership",
        "servicevisit",
        "techproblem",
        "specialcontract",
    )
    for action in ("view", "add", "change")
) + (
    "innovation.view_review",
    "innovation.view_rankingentry",
    "innovation.view_projectevent",
    "innovation.view_pointsentry",
    "innovation.add_pointsentry",
)


def _pending_reviews(user):
    from .selectors import pending_reviews_count

    return pending_reviews_count(user)


class InnovationConfig(PortalAppConfig):
    name = "apps.innovation"
    verbose_name = _("职工技术创新")
    public_pages = (
        "innovation:index",
        "innovation:project",
        "innovation:publicity",
        "innovation:problems",
        "innovation:problem",
    )
    public_models = (
        "innovation.Category",
        "innovation.Campaign",
        "innovation.PhaseSetting",
        "innovation.Project",
        "innovation.TeamMember",
        "innovation.RankingEntry",
        "innovation.Decision",
        "innovation.Publicity",
        "innovation.Award",
        "innovation.PointsEntry",
        "innovation.LeaderboardConsent",
        "innovation.ModelWorker",
        "innovation.Studio",
        "innovation.AllianceMembership",
        "innovation.ServiceVisit",
        "innovation.TechProblem",
    )

    def nav_links(self):
        return [
            NavLink(_("技术创新"), "innovation:index", order=50, icon="创"),
            NavLink(_("我的评审"), "innovation:reviews", order=150, role="reviewer", badge=_pending_reviews),
            NavLink(_("创新管理"), "innovation:manage", order=151, role="innovation_officer"),
            NavLink(_("创新项目推荐"), "innovation:endorse_queue", order=152, role="enterprise_union"),
        ]

    def roles(self):
        return [
            Role("reviewer", _("创新成果评审专家"), landing="innovation:reviews"),
            # accounts.view_user: officers look people up when they register a visit's trainees.
            Role(
                "innovation_officer",
                _("经济技术部（技术创新管理）"),
                (*OFFICER_PERMISSIONS, "accounts.view_user"),
                staff=True,
                landing="innovation:manage",
            ),
            Role("enterprise_union", _("企业工会（推荐创新项目）"), landing="innovation:endorse_queue"),
        ]

    def role_grants(self):
        return {"leader": ["innovation.view_campaign", "innovation.view_project", "innovation.view_award"]}

    def reminder_kinds(self):
        return [
            ReminderKind(
                "innovation.entries", _("创新项目申报开始与截止"), roles=("enterprise_union", "innovation_officer")
            ),
            ReminderKind("innovation.endorsement", _("创新项目等待单位推荐"), roles=("enterprise_union",)),
            ReminderKind("innovation.returned", _("创新项目被退回")),
            ReminderKind("innovation.assignment", _("创新成果评审任务"), roles=("reviewer", "innovation_officer")),
            ReminderKind("innovation.review_due", _("创新成果评审即将截止"), roles=("reviewer",)),
            ReminderKind("innovation.review_overdue", _("创新成果评审逾期"), roles=("reviewer", "innovation_officer")),
            ReminderKind(
                "innovation.publicity", _("创新成果公示结束"), roles=("innovation_officer", "enterprise_union")
            ),
            ReminderKind(
                "innovation.contract", _("专项集体合同即将到期"), roles=("enterprise_union", "innovation_officer")
            ),
            ReminderKind("innovation.problem", _("技术难题无人认领"), roles=("innovation_officer",)),
        ]

    def consents(self, user):
        from apps.core.contract import Consent

        from .models import LeaderboardConsent

        given = LeaderboardConsent.objects.filter(user=user, show_name=True).first()
        if given is None:
            return []
        return [
            Consent(
                "leaderboard_name",
                _("创新积分榜公开姓名"),
                given.updated_at,
                _("积分榜上将不再显示您的姓名（只显示积分），积分照常累计。"),
            )
        ]

    def consent_withdraw(self, user, key):
        from .models import LeaderboardConsent

        if key != "leaderboard_name":
            raise LookupError(key)
        # Saved (not updated in bulk) so the cached public leaderboard is refreshed at once.
        for consent in LeaderboardConsent.objects.filter(user=user, show_name=True):
            consent.show_name = False
            consent.save(update_fields=["show_name", "updated_at"])

    def metrics(self):
        from . import selectors

        keys = selectors.ITEM4_METRICS
        return [
            Metric(
                keys["visits"],
                _("劳模工匠助企行技术服务"),
                pgettext_lazy("service visits", "次"),
                selectors.metric_service_visits,
            ),
            Metric(
                keys["problems"],
                _("解决企业技术难题（企业确认）"),
                _("项"),
                selectors.metric_problems_solved,
            ),
            Metric(
                keys["trained"],
                _("职工技能提升培训"),
                pgettext_lazy("people trained", "人次"),
                selectors.metric_people_trained,
            ),
        ]

    def me_panel(self, request):
        from .selectors import my_projects, points_balance, points_history, reviewer_queue

        user = request.user
        if not user.is_authenticated:
            return None
        projects = list(my_projects(user)[:10])
        history = list(points_history(user, limit=10))
        queue = [a for a in reviewer_queue(user) if not a.recused_at and a.review_status != "submitted"]
        if not (projects or history or queue):
            return None
        context = {"projects": projects, "history": history, "balance": points_balance(user), "queue": queue}
        return Panel("innovation/panel_me.html", context, order=50)

    def home_panel(self, request):
        from .selectors import showcase

        projects = list(showcase(limit=3))
        if not projects:
            return None
        return Panel("innovation/panel_home.html", {"projects": projects}, order=50)

    def dashboard_figures(self, year):
        from .figures import figure_group

        return figure_group(year)

    def sitemaps(self):
        from .sitemaps import sitemaps

        return sitemaps

    def demo_load(self, stdout):
        from .demo import load

        load(stdout)
