"""Declaring a project: the team, the window, attachments, the wizard and endorsement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from apps.innovation import services
from apps.innovation.models import Attachment, Project, TeamMember
from apps.reminders.models import Notification

from .factories import ProjectFactory, TeamMemberFactory, campaign_factory, pdf_upload

pytestmark = pytest.mark.django_db


def _draft(campaign, worker):
    return ProjectFactory(campaign=campaign, owner=worker, employer=worker.employer)


def test_team_shares_must_total_100_and_nothing_changes(campaign, worker):
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    members = [{"name": "王班长", "role": "first", "share": 60}, {"name": "李师傅", "role": "main", "share": 30}]
    with pytest.raises(ValidationError) as exc:
        services.project_team_set(project=project, owner=worker, members=members)
    assert exc.value.messages == ["完成人贡献份额合计必须为 100%，现在是 90%。"]
    assert list(project.team.values_list("name", "share")) == [("王班长", 100)]


def test_team_needs_exactly_one_first_completer(campaign, worker):
    project = _draft(campaign, worker)
    members = [{"name": "甲", "role": "main", "share": 50}, {"name": "乙", "role": "main", "share": 50}]
    with pytest.raises(ValidationError, match="第一完成人"):
        services.project_team_set(project=project, owner=worker, members=members)
    assert not TeamMember.objects.exists()


def test_wizard_team_step_shows_the_share_error_and_keeps_the_old_team(client, campaign, worker):
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    client.force_login(worker)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "15",
        "form-0-name": "王班长",
        "form-0-role": "first",
        "form-0-share": "50",
        "form-1-name": "李师傅",
        "form-1-role": "main",
        "form-1-share": "20",
    }
    response = client.post(reverse("innovation:wizard", args=[project.pk, 2]), data)
    assert response.status_code == 200
    assert "完成人贡献份额合计必须为 100%，现在是 70%。" in response.content.decode()
    assert list(project.team.values_list("share", flat=True)) == [100]


def test_submission_after_the_window_is_refused_and_stays_a_draft(category, worker):
    campaign = campaign_factory(
        categories=[category], opens=datetime.date(2020, 3, 1), closes=datetime.date(2020, 6, 30), year=2020
    )
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    with pytest.raises(ValidationError) as exc:
        services.project_submit(project=project, owner=worker)
    assert exc.value.messages == ["申报时间为 2020-03-01 至 2020-06-30，当前不在申报期内，不能提交。"]
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT and project.submitted_at is None


def test_an_attachment_that_is_not_what_it_claims_is_refused(campaign, worker):
    project = _draft(campaign, worker)
    fake = pdf_upload("benefit.pdf", b"MZ\x90\x00 this is a windows program")
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(project=project, owner=worker, file=fake, title="效益证明")
    assert exc.value.messages == ["附件「benefit.pdf」不是有效的 PDF、图片或 Word/Excel 文件。"]
    assert not Attachment.objects.exists()


def test_a_real_pdf_is_stored_privately_and_only_the_owner_can_download_it(client, campaign, worker, settings):
    project = _draft(campaign, worker)
    attachment = services.attachment_add(project=project, owner=worker, file=pdf_upload(), title="效益证明")
    assert attachment.file.name.endswith(".pdf")
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    url = reverse("innovation:attachment", args=[attachment.pk])
    client.force_login(worker)
    assert client.get(url).status_code == 200
    from .factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_worker_declares_in_steps_and_the_enterprise_union_is_told(client, campaign, worker, union, employer):
    client.force_login(worker)
    response = client.post(
        reverse("innovation:submit"),
        {
            "campaign": campaign.pk,
            "category": campaign.categories.first().pk,
            "title": "配电箱快速接线工装",
            "employer": employer.pk,
            "usage": "trial",
            "source_tags": ["qc"],
        },
    )
    project = Project.objects.get(title="配电箱快速接线工装")
    assert response.url == reverse("innovation:wizard", args=[project.pk, 2])
    assert project.status == Project.Status.DRAFT and project.source_tags == ["qc"]
    client.post(
        reverse("innovation:wizard", args=[project.pk, 2]),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "王班长",
            "form-0-role": "first",
            "form-0-share": "70",
            "form-0-username": "worker",
            "form-1-name": "李师傅",
            "form-1-role": "main",
            "form-1-share": "30",
        },
    )
    client.post(
        reverse("innovation:wizard", args=[project.pk, 3]),
        {"problem": "接线慢", "solution": "快速接线工装", "money_saved": "12.5", "money_method": "工时节约"},
    )
    # Told in the submitting transaction: no after-commit callback has to run.
    client.post(reverse("innovation:wizard", args=[project.pk, 5]))
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert list(project.team.values_list("name", "share")) == [("王班长", 70), ("李师傅", 30)]
    assert Notification.objects.filter(user=union, kind="innovation.endorsement").count() == 1


def test_enterprise_union_endorses_only_its_own_employers_projects(client, campaign, worker, union, rules):
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", user=worker, share=100)
    services.project_submit(project=project, owner=worker)
    other = ProjectFactory(campaign=campaign, status=Project.Status.SUBMITTED)
    client.force_login(union)
    assert client.post(reverse("innovation:endorse_action", args=[other.pk])).status_code == 404
    client.post(reverse("innovation:endorse_action", args=[project.pk]), {"note": "同意推荐"})
    project.refresh_from_db()
    assert project.status == Project.Status.ENDORSED
    assert worker.points_entries.get().points == 10


def test_return_needs_a_reason(campaign, worker, union):
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    services.project_submit(project=project, owner=worker)
    with pytest.raises(ValidationError, match="退回时请说明理由"):
        services.project_return(project=project, by=union, reason=" ")
    services.project_return(project=project, by=union, reason="效益测算缺少依据")
    project.refresh_from_db()
    assert project.status == Project.Status.RETURNED and project.status_note == "效益测算缺少依据"


def test_the_owner_is_told_of_a_return_in_the_same_transaction(campaign, worker, union):
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", share=100)
    services.project_submit(project=project, owner=worker)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.project_return(project=project, by=union, reason="效益测算缺少依据")
        raise RuntimeError  # the return is rolled back: so is its notification
    assert not Notification.objects.filter(user=worker, kind="innovation.returned").exists()
    services.project_return(project=project, by=union, reason="效益测算缺少依据")
    (note,) = Notification.objects.filter(user=worker, kind="innovation.returned")
    assert note.body == "效益测算缺少依据" and note.url == reverse("innovation:wizard", args=[project.pk, 1])


def test_endorsing_with_consent_makes_the_name_public_and_a_refused_endorsement_changes_nothing(
    client, campaign, worker, union, rules
):
    draft = _draft(campaign, worker)
    client.force_login(union)
    client.post(reverse("innovation:endorse_action", args=[draft.pk]), {"public_consent": "on"})
    draft.refresh_from_db()
    assert draft.status == Project.Status.DRAFT and not draft.public_consent
    project = _draft(campaign, worker)
    TeamMemberFactory(project=project, name="王班长", user=worker, share=100)
    services.project_submit(project=project, owner=worker)
    client.post(reverse("innovation:endorse_action", args=[project.pk]), {"public_consent": "on", "note": "同意"})
    project.refresh_from_db()
    assert project.status == Project.Status.ENDORSED and project.public_consent
