"""Private records: only the worker, the assigned lawyer/mediator, the station's staff and officers; others 404."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.tests.sitemap_files import index_files
from apps.legal_aid import selectors, services
from apps.legal_aid.models import Consultation, LegalAidAudit

from .factories import ConsultationFactory, DisputeCaseFactory, StationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(worker, station, lawyer, pdf):
    c = services.consultation_submit(
        worker=worker,
        station=station,
        topic="injury",
        question="工伤",
        channel="written",
        consent=True,
        contact_name="刘师傅",
        contact_phone="138",
        attachments=[("contract", pdf())],
    )
    Consultation.objects.filter(pk=c.pk).update(lawyer=lawyer)
    return c


@pytest.fixture
def case(worker, station, mediator, pdf):
    c = services.case_open(
        station=station,
        applicants=[{"user": worker, "name": "刘师傅"}],
        respondent_name="甲",
        topic="wages",
        claim="x",
        arose_on=station.opened_on,
        applied_on=station.opened_on,
        by=None,
        mediators=[mediator],
    )
    services.case_document_add(case=c, by=mediator, title="工资条", upload=pdf())
    return c


def _urls(consultation, case):
    attachment = consultation.attachments.get()
    document = case.documents.get()
    return [
        reverse("legal_aid:consultation", args=[consultation.pk]),
        reverse("legal_aid:attachment", args=[attachment.pk]),
        reverse("legal_aid:case", args=[case.pk]),
        reverse("legal_aid:case_file", args=[case.pk, document.pk]),
    ]


def test_a_stranger_gets_404_on_consultation_case_and_files_by_guessed_id(client, stranger, consultation, case):
    client.force_login(stranger)
    for url in _urls(consultation, case):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("legal_aid:consultation_rate", args=[consultation.pk]), {"rating": 1}).status_code == 404
    assert client.post(reverse("legal_aid:case_move", args=[case.pk]), {"to_stage": "withdrawn"}).status_code == 404
    case.refresh_from_db()
    assert case.stage == "intake"


def test_anonymous_visitors_get_404_or_login_never_the_record(client, consultation, case):
    # The pages send a visitor to sign in; the files answer 404 (nothing to sign in for).
    for url, status in zip(_urls(consultation, case), (302, 404, 302, 404), strict=True):
        response = client.get(url)
        assert response.status_code == status, url
        assert "工伤".encode() not in response.content


@pytest.mark.parametrize("who", ["worker", "lawyer", "officer", "staff", "mediator"])
def test_the_people_involved_see_the_record(
    client, who, consultation, case, worker, lawyer, officer, mediator, station
):
    user = {
        "worker": worker,
        "lawyer": lawyer.user,
        "officer": officer,
        "staff": StationMemberFactory(station=station).user,
        "mediator": mediator,
    }[who]
    client.force_login(user)
    case_url = reverse("legal_aid:case", args=[case.pk])
    consultation_url = reverse("legal_aid:consultation", args=[consultation.pk])
    assert client.get(case_url).status_code == (404 if who == "lawyer" else 200)
    assert client.get(consultation_url).status_code == (404 if who == "mediator" else 200)


@pytest.mark.parametrize("role", ["lawyer", "mediator", "liaison", "volunteer"])
def test_other_station_members_see_only_what_is_assigned_to_them(client, role, consultation, case, station, pdf):
    """Least privilege: a lawyer rostered at the station, a liaison or ledger staff do not read a
    colleague's consultation (with its health data), the station's cases or their files; the
    station's head does; each member still keeps the station's service ledger."""
    member = StationMemberFactory(station=station, role=role).user
    head = StationMemberFactory(station=station, role="head").user
    client.force_login(member)
    for url in _urls(consultation, case):
        assert client.get(url).status_code == 404, url
    assert not selectors.consultations_visible(member).exists()
    assert not selectors.cases_run_by(member).exists()
    assert list(selectors.stations_staffed_by(member)) == [station]
    client.force_login(head)
    for url in _urls(consultation, case):
        assert client.get(url).status_code == 200, url
    assert list(selectors.cases_run_by(head)) == [case]


def test_files_are_served_as_private_downloads_and_logged(client, worker, consultation):
    client.force_login(worker)
    attachment = consultation.attachments.get()
    response = client.get(reverse("legal_aid:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.for_object(consultation).filter(action="download", actor=worker).exists()


def test_every_view_is_written_to_the_audit_log(client, officer, consultation, case):
    client.force_login(officer)
    client.get(reverse("legal_aid:consultation", args=[consultation.pk]))
    client.get(reverse("legal_aid:case", args=[case.pk]))
    assert AuditEntry.objects.for_object(consultation).filter(actor=officer, action="view").count() == 1
    assert AuditEntry.objects.for_object(case).filter(actor=officer, action="view").count() == 1


def test_the_audit_log_cannot_be_edited_or_deleted(officer, consultation):
    line = AuditEntry.objects.for_object(consultation).first()
    line.detail = "篡改"
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        line.delete()
    admin = site._registry[LegalAidAudit]
    request = RequestFactory().get("/admin/")
    request.user = officer
    assert admin.has_view_permission(request)
    assert not admin.has_change_permission(request, line)
    assert not admin.has_delete_permission(request, line)
    assert not admin.has_add_permission(request)


def test_the_admin_hides_private_records_from_staff_without_the_permission(client, consultation, case):
    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="view_consultation"))
    client.force_login(editor)
    assert client.get(reverse("admin:legal_aid_consultation_change", args=[consultation.pk])).status_code == 403
    assert client.get(reverse("admin:legal_aid_disputecase_changelist")).status_code == 403


def test_an_officer_opens_a_consultation_in_the_admin_and_it_is_logged(client, officer, consultation):
    client.force_login(officer)
    response = client.get(reverse("admin:legal_aid_consultation_change", args=[consultation.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.for_object(consultation).filter(actor=officer, detail="管理后台查看").exists()


def test_a_worker_sees_only_their_own_in_lists(worker, stranger):
    mine = ConsultationFactory(worker=worker)
    ConsultationFactory(worker=stranger)
    assert list(selectors.consultations_visible(worker)) == [mine]
    DisputeCaseFactory()
    assert not selectors.cases_visible(worker).exists()


def test_the_sitemap_lists_no_private_record(client, station, consultation, case):
    # The index, then every file it lists, as a crawler reads them: nothing private in any of them.
    files = index_files(client)
    body = client.get("/sitemap.xml").content.decode() + "".join(client.get(path).content.decode() for path in files)
    assert f"http://testserver{reverse('legal_aid:station', args=[station.pk])}" in body
    assert "/legal/consultations/" not in body and "/legal/cases/" not in body
    assert reverse("legal_aid:consultation", args=[consultation.pk]) not in body
    assert reverse("legal_aid:case", args=[case.pk]) not in body


def test_a_leader_sees_aggregates_but_no_private_record(client, user_with_role, consultation, case):
    leader = user_with_role("leader", username="leader1")
    client.force_login(leader)
    for url in _urls(consultation, case):
        assert client.get(url).status_code == 404, url
    # Leaders are not staff: the admin sends them to sign in as staff, never to the rows.
    response = client.get(reverse("admin:legal_aid_consultation_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_officers_read_the_legal_aid_lines_of_the_core_log_and_nothing_else(client, officer, consultation, case):
    from apps.core.audit import audit_record

    other = audit_record(actor=None, action="view", obj=officer, detail="另一个应用的记录")
    client.force_login(officer)
    client.get(reverse("legal_aid:case", args=[case.pk]))
    listing = client.get(reverse("admin:legal_aid_legalaidaudit_changelist"))
    assert listing.status_code == 200
    shown = set(listing.context["cl"].result_list.values_list("pk", flat=True))
    ours = set(AuditEntry.objects.for_object(consultation).values_list("pk", flat=True))
    ours |= set(AuditEntry.objects.for_object(case).values_list("pk", flat=True))
    assert shown == ours and other.pk not in shown
    assert not selectors.audit_visible(consultation.worker).exists()
