"""Private like legal aid: the case, its files, its timeline and its admin page answer 404 to a
caseworker of another union, a leader and a stranger; every view is in the audit log."""

import pytest
from django.urls import reverse

from apps.assistance import selectors
from apps.assistance.models import Document
from apps.core.models import AuditEntry

from .factories import advance, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(worker, town, union, caseworker, officer):
    return advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="visited")


def _urls(case):
    doc = Document.objects.filter(request=case).first()
    return [
        case.get_absolute_url(),
        reverse("assistance:timeline", args=[case.pk]),
        reverse("assistance:document", args=[doc.pk]),
        reverse("admin:assistance_helprequest_change", args=[case.pk]),
    ]


def test_the_applicant_their_caseworker_and_officers_open_the_case(client, case, worker, caseworker, officer):
    for person in (worker, caseworker, officer):
        client.force_login(person)
        for url in _urls(case)[:3]:
            assert client.get(url).status_code == 200, (person, url)
        assert AuditEntry.objects.for_object(case).filter(actor=person, action="view").exists()
        assert AuditEntry.objects.for_object(case).filter(actor=person, action="download").exists()
    client.force_login(officer)
    officer.is_staff = True
    officer.save()
    assert client.get(_urls(case)[3]).status_code == 200
    assert AuditEntry.objects.for_object(case).filter(actor=officer, detail="管理后台查看").exists()


@pytest.mark.parametrize("who", ["other_caseworker", "leader", "stranger"])
def test_everyone_else_gets_404(client, case, who, request):
    person = request.getfixturevalue(who)
    person.is_staff = True  # even with admin access the rows do not exist for them
    person.save()
    client.force_login(person)
    for url in _urls(case):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("admin:assistance_helprequest_changelist")).status_code in (403, 404)
    assert not selectors.requests_visible(person).exists()
    for action in ("screen", "visit", "check", "decide", "ledger_add"):
        assert client.post(reverse(f"assistance:{action}", args=[case.pk]), {}).status_code == 404


def test_anonymous_visitors_see_nothing(client, case):
    for url in _urls(case)[:3]:
        assert client.get(url).status_code in (302, 404)
    doc = Document.objects.filter(request=case).first()
    assert client.get(reverse("assistance:document", args=[doc.pk])).status_code == 404


def test_the_applicant_cannot_work_their_own_case(client, case, worker):
    client.force_login(worker)
    assert client.post(reverse("assistance:check", args=[case.pk]), {"result": "match"}).status_code == 404
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="casework"' not in body


def test_caseworkers_do_not_see_drafts_or_other_unions_in_the_queue(
    client, worker, town, union, caseworker, other_caseworker
):
    from .factories import draft

    draft(worker, town)
    submitted_case = submitted(worker, town)
    assert [r.pk for r in selectors.queue(caseworker)] == [submitted_case.pk]
    assert not selectors.queue(other_caseworker).exists()
    client.force_login(other_caseworker)
    assert submitted_case.applicant_name not in client.get(reverse("assistance:queue")).content.decode()
    client.force_login(worker)
    assert client.get(reverse("assistance:queue")).status_code == 404
