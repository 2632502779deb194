"""Campaigns: creation with the default rubric and phase settings, moving between phases."""

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


DEFAULT_RUBRIC = [
    ("创新性", 30, False, ""),
    ("实用性与推广价值", 25, False, ""),
    ("经济效益", 25, False, ""),
    ("技术难度", 20, False, ""),
    ("推荐泰州", 0, True, "是/可/否"),
]

# phase -> (reviewers write, scope, others' reviews, hide identity)
DEFAULT_PHASE_SETTINGS = {
    Phase.ENTRY: (False, "assigned", "never", False),
    Phase.ENDORSEMENT: (False, "assigned", "never", False),
    Phase.SCREENING: (False, "assigned", "never", False),
    Phase.EXPERT_REVIEW: (True, "assigned", "never", True),
    Phase.FINAL_REVIEW: (True, "assigned", "after_own", False),
    Phase.PUBLICITY: (False, "assigned", "always", False),
    Phase.PUBLISHED: (False, "assigned", "always", False),
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
        PhaseSetting(campaign=campaign, phase=phase, reviewers_write=w, scope=sc, others_reviews=o, hide_identity=h)
        for phase, (w, sc, o, h) in DEFAULT_PHASE_SETTINGS.items()
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            campaign=campaign, name=n, weight=wt, independent=ind, options=opts, required=not ind, sort_order=i
        )
        for i, (n, wt, ind, opts) in enumerate(DEFAULT_RUBRIC)
    )
    return campaign


def phase_setting(campaign: Campaign, phase: str | None = None) -> PhaseSetting:
    phase = phase or campaign.phase
    setting = PhaseSetting.objects.filter(campaign=campaign, phase=phase).first()
    if setting is None:
        w, sc, o, h = DEFAULT_PHASE_SETTINGS[phase]
        setting = PhaseSetting(
            campaign=campaign, phase=phase, reviewers_write=w, scope=sc, others_reviews=o, hide_identity=h
        )
    return setting


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
