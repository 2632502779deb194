"""Campaigns: creation with the default rubric and phase settings, moving between phases."""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    PHASE_ORDER,
    REVIEW_PHASES,
    Campaign,
    Phase,
    PhaseSetting,
    Project,
    Publicity,
    Review,
    RubricCriterion,
)

S = Project.Status


@dataclass(frozen=True)
class DefaultCriterion:
    """A line of the default rubric (staff change the campaign's copy)."""

    name: str
    weight: int
    independent: bool = False
    options: str = ""


DEFAULT_RUBRIC = (
    DefaultCriterion("创新性", 30),
    DefaultCriterion("实用性与推广价值", 25),
    DefaultCriterion("经济效益", 25),
    DefaultCriterion("技术难度", 20),
    DefaultCriterion("推荐泰州", 0, independent=True, options="是/可/否"),
)


@dataclass(frozen=True)
class PhaseSwitches:
    """What reviewers may do and see in a phase by default: the named switches of ``PhaseSetting``."""

    reviewers_write: bool = False
    scope: str = PhaseSetting.Scope.ASSIGNED
    others_reviews: str = PhaseSetting.Others.NEVER
    hide_identity: bool = False

    def setting(self, campaign: Campaign, phase: str) -> PhaseSetting:
        return PhaseSetting(campaign=campaign, phase=phase, is_demo=campaign.is_demo, **asdict(self))


DEFAULT_PHASE_SETTINGS = {
    Phase.ENTRY: PhaseSwitches(),
    Phase.ENDORSEMENT: PhaseSwitches(),
    Phase.SCREENING: PhaseSwitches(),
    # Expert review is blind: reviewers score without the declarers' names and employers.
    Phase.EXPERT_REVIEW: PhaseSwitches(reviewers_write=True, hide_identity=True),
    Phase.FINAL_REVIEW: PhaseSwitches(reviewers_write=True, others_reviews=PhaseSetting.Others.AFTER_OWN),
    Phase.PUBLICITY: PhaseSwitches(others_reviews=PhaseSetting.Others.ALWAYS),
    Phase.PUBLISHED: PhaseSwitches(others_reviews=PhaseSetting.Others.ALWAYS),
}


# --- Campaigns ----------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, year: int, name: str, entry_opens, entry_closes, categories=(), **fields) -> Campaign:
    """A campaign with the default phase settings and rubric (staff change them afterwards)."""
    campaign = Campaign(year=year, name=name, entry_opens=entry_opens, entry_closes=entry_closes, **fields)
    campaign.full_clean()
    campaign.save()
    campaign.categories.set(categories)
    PhaseSetting.objects.bulk_create(
        switches.setting(campaign, phase) for phase, switches in DEFAULT_PHASE_SETTINGS.items()
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            campaign=campaign,
            name=line.name,
            weight=line.weight,
            independent=line.independent,
            options=line.options,
            required=not line.independent,
            sort_order=i,
            is_demo=campaign.is_demo,
        )
        for i, line in enumerate(DEFAULT_RUBRIC)
    )
    return campaign


def phase_setting(campaign: Campaign, phase: str | None = None) -> PhaseSetting:
    """The campaign's switches for a phase (its current one by default), else the defaults."""
    phase = phase or campaign.phase
    setting = PhaseSetting.objects.filter(campaign=campaign, phase=phase).first()
    return setting or DEFAULT_PHASE_SETTINGS[phase].setting(campaign, phase)


@transaction.atomic
def campaign_phase_advance(*, campaign: Campaign, by) -> Campaign:
    """Move to the next phase; reviews of a closing review phase are locked for good."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    index = PHASE_ORDER.index(campaign.phase)
    if index + 1 >= len(PHASE_ORDER):
        raise ValidationError(_("活动已在最后阶段。"))
    closing = campaign.phase
    following = PHASE_ORDER[index + 1]
    if following == Phase.PUBLICITY and not Publicity.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("请通过“开始公示”进入公示阶段。"))
    if following == Phase.PUBLISHED:
        raise ValidationError(_("请通过“发布表彰”完成表彰发布。"))
    if closing in REVIEW_PHASES:
        Review.objects.filter(project__campaign=campaign, phase=closing).update(locked=True)
    campaign.phase = following
    campaign.save(update_fields=["phase", "updated_at"])
    today = timezone.localdate()
    PhaseSetting.objects.filter(campaign=campaign, phase=closing).update(ends=today)
    PhaseSetting.objects.filter(campaign=campaign, phase=following).update(starts=today)
    if following == Phase.EXPERT_REVIEW:
        Project.objects.filter(campaign=campaign, status=S.SCREENED).update(status=S.UNDER_REVIEW)
    return campaign
