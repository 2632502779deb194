"""Declaring a project: the team, the window, attachments, returns and screening."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from apps.innovation import services
from apps.innovation.models import Attachment, Project, TeamMember
from apps.reminders.models import Notification

from ..factories import TeamMemberFactory, campaign_factory, draft_project, pdf_upload

pytestmark = pytest.mark.django_db


def test_team_shares_must_total_100_and_nothing_changes(campaign, worker):
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    members = [{"name": "王班长", "role": "first", "share": 60}, {"name": "李师傅", "role": "main", "share": 30}]
    with pytest.raises(ValidationError) as exc:
        services.project_team_set(project=project, owner=worker, members=members)
    assert exc.value.messages == ["完成人贡献份额合计必须为 100%，现在是 90%。"]
    assert list(project.team.values_list("name", "share")) == [("王班长", 100)]


def test_team_needs_exactly_one_first_completer(campaign, worker):
    project = draft_project(campaign, worker)
    members = [{"name": "甲", "role": "main", "share": 50}, {"name": "乙", "role": "main", "share": 50}]
    with pytest.raises(ValidationError, match="第一完成人"):
        services.project_team_set(project=project, owner=worker, members=members)
    assert not TeamMember.objects.exists()


def test_submission_after_the_window_is_refused_and_stays_a_draft(category, worker):
    campaign = campaign_factory(
        categories=[category], opens=datetime.date(2020, 3, 1), closes=datetime.date(2020, 6, 30), year=2020
    )
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    with pytest.raises(ValidationError) as exc:
        services.project_submit(project=project, owner=worker)
    assert exc.value.messages == ["申报时间为 2020-03-01 至 2020-06-30，当前不在申报期内，不能提交。"]
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT and project.submitted_at is None


def test_an_attachment_that_is_not_what_it_claims_is_refused(campaign, worker):
    project = draft_project(campaign, worker)
    fake = pdf_upload("benefit.pdf", b"MZ\x90\x00 this is a windows program")
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(project=project, owner=worker, file=fake, title="效益证明")
    assert exc.value.messages == ["附件「benefit.pdf」不是有效的 PDF、图片或 Word/Excel 文件。"]
    assert not Attachment.objects.exists()


def test_return_needs_a_reason(campaign, worker, union):
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    services.project_submit(project=project, owner=worker)
    with pytest.raises(ValidationError, match="退回时请说明理由"):
        services.project_return(project=project, by=union, reason=" ")
    services.project_return(project=project, by=union, reason="效益测算缺少依据")
    project.refresh_from_db()
    assert project.status == Project.Status.RETURNED and project.status_note == "效益测算缺少依据"


def test_the_owner_is_told_of_a_return_in_the_same_transaction(campaign, worker, union):
    project = draft_project(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    services.project_submit(project=project, owner=worker)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.project_return(project=project, by=union, reason="效益测算缺少依据")
        raise RuntimeError  # the return is rolled back: so is its notification
    assert not Notification.objects.filter(user=worker, kind="innovation.returned").exists()
    services.project_return(project=project, by=union, reason="效益测算缺少依据")
    (note,) = Notification.objects.filter(user=worker, kind="innovation.returned")
    assert note.body == "效益测算缺少依据" and note.url == reverse("innovation:wizard", args=[project.pk, 1])


def test_team_member_with_account_gets_screened_points_split_by_share(project_in_review, worker):
    assert worker.points_entries.get(rule__code="screened").points == 7
    assert TeamMemberFactory._meta.model.objects.filter(project=project_in_review).count() == 2
