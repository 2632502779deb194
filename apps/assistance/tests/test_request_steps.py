"""The worker's steps: a draft saved and resumed, papers checked, submit refused without consent
or a step, then submitted to the applicant's union and shown in /me/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.assistance.models import Document, HelpRequest
from apps.core.models import AuditEntry

from .factories import PDF, draft, pdf

pytestmark = pytest.mark.django_db


def _step(pk, n):
    return reverse("assistance:step", args=[pk, n])


def test_a_draft_is_saved_resumed_and_submitted(client, worker, town, union, caseworker):
    client.force_login(worker)
    page = client.get(reverse("assistance:new"))
    assert page.status_code == 200 and "submission_token" in page.content.decode()
    response = client.post(
        reverse("assistance:new"),
        {
            "filer": "self",
            "applicant_name": "刘建国",
            "phone": "13905230000",
            "town": town.pk,
            "household_size": 4,
            "household_members": "妻子、儿子",
            "submission_token": "t1",
        },
    )
    hr = HelpRequest.objects.get(applicant=worker)
    assert response.status_code == 302 and response["Location"] == _step(hr.pk, 2)
    assert hr.state == "draft"
    # The same step 1 sent twice (a double tap) makes one draft.
    client.post(reverse("assistance:new"), {"applicant_name": "刘建国", "submission_token": "t1"})
    assert HelpRequest.objects.filter(applicant=worker).count() == 1
    # Save step 2 as a draft and come back later: the answers are there.
    client.post(
        _step(hr.pk, 2), {"income_band": "below_dibao", "reason": "illness", "story": "妻子透析。", "stay": "1"}
    )
    assert "妻子透析" in client.get(_step(hr.pk, 2)).content.decode()
    assert "继续填写" in client.get(reverse("accounts:me")).content.decode()
    client.post(_step(hr.pk, 3), {"asked_help": "medical", "asked_amount": "5000"})
    client.post(_step(hr.pk, 4), {"kind": "medical", "file": SimpleUploadedFile("bl.pdf", PDF), "upload": "1"})
    assert hr.documents.filter(kind="medical").count() == 1
    response = client.post(_step(hr.pk, 5), {"consent": "on", "financial_consent": "on", "health_consent": "on"})
    assert response.status_code == 302
    hr.refresh_from_db()
    assert hr.state == "submitted" and hr.union == union and hr.health_consent_at is not None
    me = client.get(reverse("accounts:me")).content.decode()
    assert "已提交，待初审" in me
    # Once submitted the steps are closed.
    assert client.get(_step(hr.pk, 1))["Location"] == hr.get_absolute_url()
    assert AuditEntry.objects.for_object(hr).filter(actor=worker, action="create").exists()


def test_submitting_without_consent_is_refused_and_nothing_changes(client, worker, town, union):
    hr = draft(worker, town)
    client.force_login(worker)
    body = client.post(_step(hr.pk, 5), {"consent": "on"}).content.decode()
    assert "核对家庭收入和财产需要您单独同意" in body
    body = client.post(_step(hr.pk, 5), {"financial_consent": "on"}).content.decode()
    assert "请阅读并同意个人信息保护告知" in body
    hr.refresh_from_db()
    assert hr.state == "draft" and hr.consent_at is None and hr.submitted_at is None


def test_health_data_needs_its_own_consent(client, worker, town, union):
    hr = draft(worker, town, reason="illness")
    client.force_login(worker)
    body = client.post(_step(hr.pk, 5), {"consent": "on", "financial_consent": "on"}).content.decode()
    assert "健康信息属于敏感个人信息" in body
    assert HelpRequest.objects.get(pk=hr.pk).state == "draft"


def test_a_missing_step_is_named(client, worker, town, union):
    hr = draft(worker, town, reason="", story="", asked_help="")
    client.force_login(worker)
    body = client.post(_step(hr.pk, 5), {"consent": "on", "financial_consent": "on"}).content.decode()
    assert "第 2 步" in body and "第 3 步" in body
    assert HelpRequest.objects.get(pk=hr.pk).state == "draft"


def test_a_fake_pdf_or_a_too_large_file_is_refused(client, worker, town, settings):
    hr = draft(worker, town)
    client.force_login(worker)
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    body = client.post(_step(hr.pk, 4), {"kind": "income", "file": fake, "upload": "1"}).content.decode()
    assert "不是有效的 PDF" in body
    settings.UPLOAD_MAX_BYTES = 10
    body = client.post(_step(hr.pk, 4), {"kind": "income", "file": pdf(), "upload": "1"}).content.decode()
    assert "文件太大" in body
    assert not Document.objects.filter(request=hr).exists()


def test_an_office_file_is_not_a_paper_we_keep(client, worker, town):
    hr = draft(worker, town)
    client.force_login(worker)
    docx = SimpleUploadedFile("a.docx", b"PK\x03\x04" + b"\x00" * 40)
    body = client.post(_step(hr.pk, 4), {"kind": "income", "file": docx, "upload": "1"}).content.decode()
    assert "不是有效的 PDF 或图片" in body
    assert not hr.documents.exists()


def test_someone_elses_draft_is_404(client, worker, stranger, town):
    hr = draft(worker, town)
    client.force_login(stranger)
    assert client.get(_step(hr.pk, 1)).status_code == 404
    assert client.post(_step(hr.pk, 2), {"story": "x"}).status_code == 404
    assert client.get(hr.get_absolute_url()).status_code == 404


def test_union_staff_file_on_a_workers_behalf_and_the_worker_follows_it(client, worker, town, union, caseworker):
    worker.phone, worker.phone_verified = "13905231111", True
    worker.save()
    client.force_login(caseworker)
    data = {"filer": "union", "applicant_name": "刘建国", "phone": "13905231111", "town": town.pk}
    body = client.post(reverse("assistance:new"), {**data, "worker_phone": "13900000000"}).content.decode()
    assert "没有找到用这个手机号注册并验证的职工" in body
    assert not HelpRequest.objects.exists()
    client.post(reverse("assistance:new"), {**data, "worker_phone": "13905231111"})
    hr = HelpRequest.objects.get()
    assert hr.applicant == worker and hr.filed_by == caseworker and hr.filer == "union"
    client.force_login(worker)
    assert "帮扶申请 #" in client.get(reverse("accounts:me")).content.decode()


def test_a_worker_cannot_file_for_someone_else(client, worker, stranger, town):
    stranger.phone, stranger.phone_verified = "13905232222", True
    stranger.save()
    client.force_login(worker)
    body = client.post(
        reverse("assistance:new"), {"filer": "union", "applicant_name": "路人", "worker_phone": "13905232222"}
    ).content.decode()
    assert "只有工会工作人员可以代职工申请" in body
    assert not HelpRequest.objects.exists()
