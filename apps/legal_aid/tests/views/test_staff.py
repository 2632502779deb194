"""Staff pages: triage, duty, roster, ledger; each for its role, flat queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.legal_aid.models import Consultation, DisputeCase, LedgerEntry

from ..factories import (
    ConsultationFactory,
    DisputeCaseFactory,
    DutyShiftFactory,
    LawyerProfileFactory,
    LegalStationFactory,
    StationMemberFactory,
    grow,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "who", "limit"), [("triage", "officer", 14), ("duty", "lawyer", 14), ("roster", "officer", 12)]
)
def test_staff_page_queries_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, name, who, limit, station, lawyer, officer
):
    client.force_login({"officer": officer, "lawyer": lawyer.user}[who])
    for size in (1, 6):
        grow(station, lawyer, size)
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(f"legal_aid:{name}"))
        assert response.status_code == 200


def test_triage_is_for_legal_officers_only(client, worker):
    client.force_login(worker)
    assert client.get(reverse("legal_aid:triage")).status_code == 403


def test_triage_lists_overdue_first_then_oldest(client, officer, station):
    now = timezone.now()
    old = ConsultationFactory(station=station)
    Consultation.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=1))
    new = ConsultationFactory(station=station)
    overdue = ConsultationFactory(station=station, due_at=now - datetime.timedelta(hours=1))
    client.force_login(officer)
    queue = list(client.get(reverse("legal_aid:triage")).context["page_obj"])
    assert [c.pk for c in queue] == [overdue.pk, old.pk, new.pk]


def test_ledger_page_for_station_staff(client, station):
    staff = StationMemberFactory(station=station).user
    client.force_login(staff)
    response = client.post(
        reverse("legal_aid:ledger_new"),
        {
            "station": station.pk,
            "date": timezone.localdate().isoformat(),
            "channel": "visit",
            "topic": "wages",
            "people": 5,
            "new_form_people": 1,
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get().people == 5


def test_swap_through_the_pages_needs_the_colleague_then_the_officer(client, user_with_role, station, lawyer, officer):
    from apps.legal_aid.models import DutyShift, ShiftSwap

    shift = DutyShiftFactory(station=station, lawyer=lawyer)
    colleague = LawyerProfileFactory(user=user_with_role("lawyer"), stations=[station])
    client.force_login(lawyer.user)
    client.post(reverse("legal_aid:duty"), {"action": "swap", "shift": shift.pk, "to_lawyer": colleague.pk})
    swap = ShiftSwap.objects.get()
    client.force_login(officer)
    response = client.post(reverse("legal_aid:roster"), {"swap": swap.pk}, follow=True)
    assert "对方律师接受后才能审批换班。" in response.content.decode()
    client.force_login(colleague.user)
    assert "请我代班" in client.get(reverse("legal_aid:duty")).content.decode()
    client.post(reverse("legal_aid:duty"), {"action": "accept", "swap": swap.pk})
    client.force_login(officer)
    client.post(reverse("legal_aid:roster"), {"swap": swap.pk})
    shift.refresh_from_db()
    assert shift.status == "swapped"
    assert DutyShift.objects.get(lawyer=colleague, date=shift.date).start == shift.start


def test_the_mediation_list_queries_do_not_grow_with_the_cases(client, django_assert_max_num_queries, mediator):
    client.force_login(mediator)
    url = reverse("legal_aid:mediation")
    for size in (1, 8):
        for _i in range(size):
            DisputeCaseFactory(station=LegalStationFactory(), stage="mediating").mediators.add(mediator)
        DisputeCaseFactory(stage="closed", outcome="settled").mediators.add(mediator)
        DisputeCaseFactory()  # somebody else's
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
        assert (
            len(response.context["cases"]) == DisputeCase.objects.filter(mediators=mediator, stage="mediating").count()
        )


def test_station_staff_read_the_roster_but_only_officers_approve_swaps(client, station, lawyer):
    from apps.legal_aid.models import ShiftSwap

    swap = ShiftSwap.objects.create(
        shift=DutyShiftFactory(station=station, lawyer=lawyer),
        to_lawyer=LawyerProfileFactory(stations=[station]),
        status=ShiftSwap.Status.ACCEPTED,
    )
    client.force_login(StationMemberFactory(station=station).user)
    assert client.get(reverse("legal_aid:roster")).status_code == 200
    response = client.post(reverse("legal_aid:roster"), {"swap": swap.pk})
    assert response.status_code == 403 and "法律工作部" in response.content.decode()
    swap.refresh_from_db()
    assert swap.status == ShiftSwap.Status.ACCEPTED


def test_the_roster_is_not_for_workers(client, worker):
    client.force_login(worker)
    assert client.get(reverse("legal_aid:roster")).status_code == 404
