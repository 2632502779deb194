"""Decisions, publicity and objections, awards, and the append-only points ledger."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.innovation import services
from apps.innovation.models import Award, AwardLevel, PointsEntry, Project

from .factories import UserFactory, pdf_upload, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(project_in_review, officer):
    for assignment in project_in_review.assignments.all():
        score_all(assignment, value=8)
    services.ranking_compute(campaign=project_in_review.campaign)
    services.decision_record(project=project_in_review, level=AwardLevel.FIRST, by=officer)
    project_in_review.refresh_from_db()
    return project_in_review


def _publicity(decided, officer, days_ago=10):
    return services.publicity_open(
        campaign=decided.campaign, by=officer, starts=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


def test_a_score_never_becomes_an_award_by_itself(decided):
    assert decided.status == Project.Status.DECIDED
    assert not Award.objects.exists()


def test_awards_cannot_be_published_or_decided_while_an_objection_is_open(decided, officer, worker):
    publicity = _publicity(decided, officer, days_ago=3)
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
    _publicity(decided, officer)
    services.awards_publish(campaign=decided.campaign, by=officer)
    decided.refresh_from_db()
    assert decided.status == Project.Status.AWARDED
    award_points = worker.points_entries.get(rule__code="city_award_first")
    assert award_points.points == 70  # 100 × 70 %
    balance = sum(PointsEntry.objects.filter(person=worker).values_list("points", flat=True))
    assert balance == 7 + 70


def test_an_upheld_objection_keeps_the_project_out_of_the_awards(decided, officer):
    _publicity(decided, officer, days_ago=3)
    objection = services.objection_file(project=decided, by=UserFactory(), text="抄袭他人成果")
    services.objection_resolve(objection=objection, by=officer, resolution="经查属实", upheld=True)
    publicity = decided.campaign.publicity
    publicity.ends = timezone.localdate() - datetime.timedelta(days=1)
    publicity.save()
    assert services.awards_publish(campaign=decided.campaign, by=officer) == []
    decided.refresh_from_db()
    assert decided.status == Project.Status.NOT_AWARDED


def test_a_points_entry_cannot_be_edited_or_deleted(decided, worker):
    entry = worker.points_entries.get()
    with pytest.raises(ValidationError) as exc:
        entry.points = 1000
        entry.save()
    assert exc.value.messages == ["积分记录只能追加，不能修改；请添加冲正记录。"]
    with pytest.raises(ValidationError, match="不能删除"):
        entry.delete()
    with pytest.raises(ValidationError):
        PointsEntry.objects.filter(pk=entry.pk).update(points=1000)
    with pytest.raises(ValidationError):
        PointsEntry.objects.all().delete()
    assert PointsEntry.objects.get(pk=entry.pk).points == 7


def test_the_admin_offers_no_change_or_delete_of_points(decided, officer):
    request = RequestFactory().get("/")
    request.user = officer
    model_admin = site._registry[PointsEntry]
    entry = PointsEntry.objects.first()
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_a_correction_is_a_reversing_entry_and_the_balance_is_the_sum(decided, worker, officer):
    entry = worker.points_entries.get()
    reversal = services.points_reverse(entry=entry, by=officer, reason="份额登记错误")
    assert reversal.points == -7 and reversal.reverses == entry
    assert sum(worker.points_entries.values_list("points", flat=True)) == 0
    with pytest.raises(ValidationError, match="已经冲正过"):
        services.points_reverse(entry=entry, by=officer, reason="再来一次")


def test_the_same_award_never_earns_points_twice(decided, officer, worker):
    _publicity(decided, officer)
    (award,) = services.awards_publish(campaign=decided.campaign, by=officer)
    count = PointsEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.points_for_project(project=decided, rule_code="city_award_first", source=f"award:{award.pk}")
    assert exc.value.messages == ["这项积分已经发放过，不能重复发放。"]
    assert PointsEntry.objects.count() == count


def test_an_outside_award_needs_a_real_certificate_and_earns_taizhou_points_once(decided, officer, worker):
    _publicity(decided, officer)
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


def test_training_attendees_earn_their_points_once_per_visit(client, roles):
    from apps.innovation.models import PointsRule

    from .factories import ServiceVisitFactory

    PointsRule.objects.get_or_create(code="training_attended", defaults={"description": "参加培训", "points": 2})
    officer = UserFactory(roles=["innovation_officer"])
    first, second = UserFactory(), UserFactory()
    visit = ServiceVisitFactory(workers_trained=30)
    client.force_login(officer)
    url = reverse("admin:innovation_servicevisit_change", args=[visit.pk])
    form = {
        "date": visit.date.isoformat(),
        "enterprise": visit.enterprise_id,
        "topic": visit.topic,
        "workers_trained": 30,
        "trainees": [first.pk, second.pk],
        "note": "",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # saved again: nobody earns twice
    entries = PointsEntry.objects.filter(rule__code="training_attended")
    assert sorted(entries.values_list("person_id", "points")) == sorted([(first.pk, 2), (second.pk, 2)])


def test_publicity_page_form_is_for_signed_in_people_only(
    client, decided, officer, worker, django_assert_max_num_queries
):
    _publicity(decided, officer, days_ago=1)
    url = reverse("innovation:publicity", args=[decided.campaign.year])
    page = client.get(url).content.decode()
    assert decided.title in page
    assert "csrfmiddlewaretoken" not in page and "<form" not in page and "?next=" in page
    client.force_login(worker)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert f'<option value="{decided.pk}">' in page and "csrfmiddlewaretoken" in page
    page = client.post(url, {"project": decided.pk, "text": ""}).content.decode()
    assert 'class="error"' in page and f'<option value="{decided.pk}" selected>' in page
    response = client.post(url, {"project": decided.pk, "text": "完成人名单有误"})
    assert response.status_code == 302
    assert decided.objections.filter(filed_by=worker).exists()
