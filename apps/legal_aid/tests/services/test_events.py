"""Legal events: the waiting list and the head count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.legal_aid import services
from apps.legal_aid.models import Registration

from ..factories import LegalEventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_registration_for_a_full_event_goes_to_the_waiting_list_and_is_promoted():
    event = LegalEventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    mine = services.event_register(event=event, user=first)
    assert mine.status == Registration.Status.CONFIRMED
    assert services.event_register(event=event, user=second).status == Registration.Status.WAITING
    assert services.event_register(event=event, user=third).status == Registration.Status.WAITING
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=event, user=second)
    assert exc.value.messages == ["您已经报名了这个活动。"]
    promoted = services.registration_cancel(registration=mine, by=first)
    assert promoted.user == second
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waiting"}


def test_event_held_counts_checked_in_and_invitees():
    event = LegalEventFactory(capacity=5, starts_at=timezone.now() + datetime.timedelta(minutes=1))
    registration = services.event_register(event=event, user=UserFactory())
    services.registration_check_in(registration=registration, by=None)
    event.invitees.create(name="人大代表甲", category="npc", attended=True)
    event.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    services.event_mark_held(event=event, by=None)
    event.refresh_from_db()
    assert (event.status, event.head_count) == ("held", 2)
