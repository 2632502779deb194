"""Item 20: a reviewer's missing scores are all named at once, not one per submit."""

import pytest
from django.core.exceptions import ValidationError

from apps.innovation import services

pytestmark = pytest.mark.django_db


def test_every_missing_required_score_is_named_in_one_answer(project_in_review):
    assignment = project_in_review.assignments.select_related("reviewer").first()
    required = [c for c in project_in_review.campaign.criteria.all() if c.required and not c.independent]
    assert len(required) >= 2
    with pytest.raises(ValidationError) as caught:
        services.review_save(assignment=assignment, reviewer=assignment.reviewer, scores={}, options={}, submit=True)
    named = " ".join(caught.value.messages)
    for criterion in required:
        assert criterion.name in named
