"""Legal events: places, the waiting list, check-in and the head count, through the enrolment engine."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.enrolment.models import Attendance, Enrolment, Roster
from apps.legal_aid import services

from ..factories import LegalEventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_registration_for_a_full_event_goes_to_the_waiting_list_and_a_freed_place_is_offered():
    event = LegalEventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    mine = services.event_register(event=event, user=first).enrolment
    assert mine.state == Enrolment.State.CONFIRMED
    assert services.event_register(event=event, user=second).enrolment.state == Enrolment.State.WAITING
    assert services.event_register(event=event, user=third).enrolment.state == Enrolment.State.WAITING
    again = services.event_register(event=event, user=second)
    assert not again.created and Enrolment.objects.filter(person=second).count() == 1
    services.registration_cancel(registration=mine, by=first)
    states = dict(Enrolment.objects.values_list("person_id", "state"))
    assert states == {first.pk: "cancelled", second.pk: "offered", third.pk: "waiting"}
    roster = Roster.objects.get()
    assert (roster.places, roster.taken, roster.waiting, roster.url) == (1, 1, 1, event.get_absolute_url())


def test_an_event_without_public_places_or_already_started_takes_no_registration():
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=LegalEventFactory(capacity=0), user=UserFactory())
    assert exc.value.messages == ["本活动不设公开报名，仅限受邀人员参加。"]
    started = LegalEventFactory(capacity=5, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.event_register(event=started, user=UserFactory())
    assert not Enrolment.objects.exists()


def test_the_roster_follows_the_event_but_never_below_the_places_taken():
    event = LegalEventFactory(capacity=2)
    services.event_register(event=event, user=UserFactory())
    services.event_register(event=event, user=UserFactory())
    event.capacity = 1
    event.save()
    assert services.event_roster(event).places == 2
    event.capacity = 5
    event.starts_at += datetime.timedelta(days=1)
    event.save()
    roster = services.event_roster(event)
    assert roster.places == 5 and roster.closes_at == event.starts_at
    assert roster.occasions.get().starts_at == event.starts_at


def test_event_held_counts_checked_in_and_invitees():
    event = LegalEventFactory(capacity=5, starts_at=timezone.now() + datetime.timedelta(minutes=1))
    registration = services.event_register(event=event, user=UserFactory()).enrolment
    services.registration_check_in(registration=registration, by=None)
    assert Attendance.objects.filter(enrolment=registration).count() == 1
    event.invitees.create(name="人大代表甲", category="npc", attended=True)
    event.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    services.event_mark_held(event=event, by=None)
    event.refresh_from_db()
    assert (event.status, event.head_count) == ("held", 2)
    assert Roster.objects.get().is_open is False


def test_only_a_confirmed_registrant_is_checked_in():
    event = LegalEventFactory(capacity=1, starts_at=timezone.now() + datetime.timedelta(minutes=30))
    services.event_register(event=event, user=UserFactory())
    waiting = services.event_register(event=event, user=UserFactory()).enrolment
    with pytest.raises(ValidationError) as exc:
        services.registration_check_in(registration=waiting, by=None)
    assert exc.value.messages == ["只有报名成功的职工可以签到。"]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("宣传.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_an_event_handout_that_is_not_a_document_is_refused_by_its_content(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = LegalEventFactory()
    event.handout = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert exc.value.message_dict["handout"] == ["附件格式不支持，请上传 PDF、Word 或 Excel 文件。"]


def test_an_event_handout_is_stored_under_a_generated_name(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..conftest import PDF

    settings.MEDIA_ROOT = tmp_path
    event = LegalEventFactory()
    event.handout = SimpleUploadedFile("<img src=x onerror=alert(1)>.pdf", PDF)
    event.full_clean()
    event.save()
    year = timezone.now().year
    assert event.handout.name.startswith(f"legal/handouts/{year}/") and event.handout.name.endswith(".pdf")
    assert "<" not in event.handout.name and "img" not in event.handout.name
