"""Ranking, decisions, the 公示 and its objections, published and outside awards."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import Award, AwardLevel, Phase, PointsEntry, Project, RankingEntry, ReviewAssignment

from ..factories import CategoryFactory, ProjectFactory, UserFactory, pdf_upload, publicity_since, score_all

pytestmark = pytest.mark.django_db


def test_aggregate_drops_extremes_from_five_and_flags_disagreement():
    totals = [Decimal(x) for x in ("2", "7", "7.5", "8", "9.5")]
    mean, spread, dropped, disagree = services.aggregate_totals(totals, drop_from=5, threshold=Decimal("3"))
    assert dropped and mean == Decimal("7.50") and spread == Decimal("7.50") and disagree
    mean, spread, dropped, disagree = services.aggregate_totals(totals[1:], drop_from=5, threshold=Decimal("3"))
    assert not dropped and mean == Decimal("8.00") and not disagree


def test_ranking_within_category_breaks_ties_by_documented_benefit(campaign, officer, make_reviewer):
    other_category = CategoryFactory(name="合理化建议")
    campaign.categories.add(other_category)
    reviewers = [make_reviewer() for _ in range(3)]
    small = ProjectFactory(campaign=campaign, money_saved=Decimal("5"), status=Project.Status.SCREENED)
    big = ProjectFactory(campaign=campaign, money_saved=Decimal("50"), status=Project.Status.SCREENED)
    best = ProjectFactory(campaign=campaign, money_saved=Decimal("1"), status=Project.Status.SCREENED)
    alone = ProjectFactory(campaign=campaign, category=other_category, status=Project.Status.SCREENED)
    campaign.phase = Phase.EXPERT_REVIEW
    campaign.save()
    services.assignments_auto(campaign=campaign, by=officer)
    for assignment in ReviewAssignment.objects.all():
        score_all(assignment, value=9 if assignment.project == best else 7)
    assert services.ranking_compute(campaign=campaign) == 4
    ranks = dict(RankingEntry.objects.values_list("project_id", "rank"))
    assert [ranks[best.pk], ranks[big.pk], ranks[small.pk], ranks[alone.pk]] == [1, 2, 3, 1]
    assert len(reviewers) == 3


def test_an_interim_ranking_leaves_projects_with_pending_reviews_in_review(project_in_review):
    first, *rest = project_in_review.assignments.all()
    score_all(first, value=8)
    assert services.ranking_compute(campaign=project_in_review.campaign) == 1
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.UNDER_REVIEW
    for assignment in rest:
        score_all(assignment, value=6)
    services.ranking_compute(campaign=project_in_review.campaign)
    project_in_review.refresh_from_db()
    assert project_in_review.status == Project.Status.RANKED
    assert project_in_review.rankings.get().mean == Decimal("6.67")


def test_a_score_never_becomes_an_award_by_itself(decided):
    assert decided.status == Project.Status.DECIDED
    assert not Award.objects.exists()


def test_awards_cannot_be_published_or_decided_while_an_objection_is_open(decided, officer, worker):
    publicity = publicity_since(decided, officer, days_ago=3)
    objection = services.objection_file(project=decided, by=UserFactory(), text="效益数据与实际不符")
    # Close the publicity period: only the open objection stands in the way.
    publicity.ends = timezone.localdate() - datetime.timedelta(days=1)
    publicity.save()
    with pytest.raises(ValidationError) as exc:
        services.awards_publish(campaign=decided.campaign, by=officer)
    assert exc.value.messages == ["还有 1 条公示异议未处理，不能发布表彰。"]
    with pytest.raises(ValidationError) as exc:
        services.decision_record(project=decided, level=AwardLevel.SECOND, by=officer)
    assert exc.value.messages == ["该项目还有 1 条公示异议未处理，不能评定或授奖。"]
    assert not Award.objects.exists()
    decided.refresh_from_db()
    assert decided.status == Project.Status.PUBLICITY and decided.decision.level == AwardLevel.FIRST
    with pytest.raises(ValidationError, match="请填写处理意见"):
        services.objection_resolve(objection=objection, by=officer, resolution="", upheld=False)
    services.objection_resolve(objection=objection, by=officer, resolution="经核实数据有出处", upheld=False)
    awards = services.awards_publish(campaign=decided.campaign, by=officer)
    assert [a.level for a in awards] == [AwardLevel.FIRST]


def test_publishing_awards_gives_points_split_by_team_share(decided, officer, worker):
    publicity_since(decided, officer)
    services.awards_publish(campaign=decided.campaign, by=officer)
    decided.refresh_from_db()
    assert decided.status == Project.Status.AWARDED
    award_points = worker.points_entries.get(rule__code="city_award_first")
    assert award_points.points == 70  # 100 × 70 %
    balance = sum(PointsEntry.objects.filter(person=worker).values_list("points", flat=True))
    assert balance == 7 + 70


def test_an_upheld_objection_keeps_the_project_out_of_the_awards(decided, officer):
    publicity_since(decided, officer, days_ago=3)
    objection = services.objection_file(project=decided, by=UserFactory(), text="抄袭他人成果")
    services.objection_resolve(objection=objection, by=officer, resolution="经查属实", upheld=True)
    publicity = decided.campaign.publicity
    publicity.ends = timezone.localdate() - datetime.timedelta(days=1)
    publicity.save()
    assert services.awards_publish(campaign=decided.campaign, by=officer) == []
    decided.refresh_from_db()
    assert decided.status == Project.Status.NOT_AWARDED


def test_the_same_award_never_earns_points_twice(decided, officer, worker):
    publicity_since(decided, officer)
    (award,) = services.awards_publish(campaign=decided.campaign, by=officer)
    count = PointsEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.points_for_project(project=decided, rule_code="city_award_first", source=f"award:{award.pk}")
    assert exc.value.messages == ["这项积分已经发放过，不能重复发放。"]
    assert PointsEntry.objects.count() == count


def test_an_outside_award_needs_a_real_certificate_and_earns_taizhou_points_once(decided, officer, worker):
    publicity_since(decided, officer)
    services.awards_publish(campaign=decided.campaign, by=officer)
    with pytest.raises(ValidationError, match="不是有效的"):
        services.award_record_external(
            kind=Award.Kind.TAIZHOU_PROJECT,
            year=2024,
            by=officer,
            project=decided,
            certificate=pdf_upload("cert.pdf", b"<html>not a scan</html>"),
        )
    assert not Award.objects.filter(kind=Award.Kind.TAIZHOU_PROJECT).exists()
    award = services.award_record_external(
        kind=Award.Kind.TAIZHOU_PROJECT, year=2024, by=officer, project=decided, certificate=pdf_upload("cert.pdf")
    )
    assert award.certificate.name.endswith(".pdf")
    assert worker.points_entries.get(rule__code="taizhou_award").points == 105
    with pytest.raises(ValidationError, match="已录入过此奖项"):
        services.award_record_external(kind=Award.Kind.TAIZHOU_PROJECT, year=2024, by=officer, project=decided)
    assert worker.points_entries.filter(rule__code="taizhou_award").count() == 1
