"""The app contract: metrics and the reviewer's nav badge."""

import datetime

import pytest

from apps.core import registry
from apps.innovation.models import TechProblem

from .factories import ServiceVisitFactory, TechProblemFactory, score_all

pytestmark = pytest.mark.django_db


def test_metrics_are_zero_for_a_year_with_no_data_and_count_what_they_say(db):
    for key in ("innovation.service_visits", "innovation.problems_solved", "innovation.people_trained"):
        assert registry.metric_value(key, 1999) == 0
    ServiceVisitFactory(date=datetime.date(2024, 3, 8), workers_trained=98)
    ServiceVisitFactory(date=datetime.date(2024, 5, 8), workers_trained=28)
    ServiceVisitFactory(date=datetime.date(2023, 5, 8), workers_trained=5)
    TechProblemFactory(status=TechProblem.Status.IN_PROGRESS)
    assert registry.metric_value("innovation.service_visits", 2024) == 2
    assert registry.metric_value("innovation.people_trained", 2024) == 126
    assert registry.metric_value("innovation.problems_solved", 2024) == 0


def test_the_reviewer_nav_link_counts_pending_reviews(project_in_review):
    from apps.core.registry import nav_links

    reviewer = project_in_review.assignments.first().reviewer
    (mine,) = [link for link in nav_links(reviewer) if link["label"] == "我的评审"]
    assert mine["badge"] == 1
    score_all(project_in_review.assignments.first())
    (mine,) = [link for link in nav_links(reviewer) if link["label"] == "我的评审"]
    assert mine["badge"] is None
