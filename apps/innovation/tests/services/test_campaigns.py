"""Campaigns: the default phase switches and rubric, moving between phases."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.innovation import services
from apps.innovation.models import Phase, PhaseSetting, Review

from ..factories import score_all

pytestmark = pytest.mark.django_db


def test_a_new_campaign_reviews_blind_then_shows_others_after_ones_own_in_final_review(campaign):
    settings = {s.phase: s for s in campaign.phase_settings.all()}
    expert, final = settings[Phase.EXPERT_REVIEW], settings[Phase.FINAL_REVIEW]
    assert expert.reviewers_write and expert.hide_identity and expert.others_reviews == PhaseSetting.Others.NEVER
    assert final.reviewers_write and not final.hide_identity and final.others_reviews == PhaseSetting.Others.AFTER_OWN
    assert not settings[Phase.PUBLICITY].reviewers_write
    assert [(c.name, c.weight, c.independent) for c in campaign.criteria.all()][-1] == ("推荐泰州", 0, True)


def test_scores_lock_when_the_phase_closes(project_in_review, officer):
    assignment = project_in_review.assignments.first()
    review = score_all(assignment, value=7, submit=False)
    services.campaign_phase_advance(campaign=project_in_review.campaign, by=officer)
    review.refresh_from_db()
    assert review.locked
    with pytest.raises(ValidationError) as exc:
        score_all(assignment, value=9, submit=True)
    assert exc.value.messages == ["评审阶段已结束，评分已锁定，不能修改。"]
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and review.weighted_total == Decimal("7.00")
