"""Children's data is forgotten past its retention period; the enrolment and its figures stay."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEntry
from apps.enrolment.models import Enrolment
from apps.enrolment.services import children_forget_expired

from .factories import OccasionFactory, RosterFactory

pytestmark = pytest.mark.django_db


def _child(roster, name):
    return Enrolment.objects.create(
        roster=roster,
        person=UserFactory(),
        dependant_name=name,
        dependant_age=8,
        guardian_phone="13800000001",
        guardian_consent_at=timezone.now(),
        state=Enrolment.State.ATTENDED,
    )


def test_a_childs_name_and_guardian_phone_go_after_the_period_and_only_then(settings):
    settings.ENROLMENT_CHILD_RETENTION_DAYS = 180
    now = timezone.now()
    old = OccasionFactory(starts_at=now - datetime.timedelta(days=200), roster=RosterFactory(dependants_allowed=True))
    recent = OccasionFactory(starts_at=now - datetime.timedelta(days=20), roster=RosterFactory(dependants_allowed=True))
    gone, kept = _child(old.roster, "小明"), _child(recent.roster, "小红")
    adult = Enrolment.objects.create(roster=old.roster, person=UserFactory(), state=Enrolment.State.ATTENDED)

    assert children_forget_expired(now=now) == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert "小明" not in gone.dependant_name and gone.guardian_phone == ""
    assert (gone.dependant_age, gone.state) == (8, "attended")  # the figures keep what they count
    assert (kept.dependant_name, kept.guardian_phone) == ("小红", "13800000001")
    assert Enrolment.objects.get(pk=adult.pk).dependant_name == ""
    assert AuditEntry.objects.filter(object_id=str(gone.pk), action="change").count() == 1
    assert children_forget_expired(now=now) == 0  # idempotent
    # Later, the second one's period runs out too.
    assert children_forget_expired(now=now + datetime.timedelta(days=170)) == 1
