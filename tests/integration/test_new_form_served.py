"""Item 10's 新业态服务 is the sum of what each app counts: every metric it names exists (a missing
one would silently count as nothing), and a new-form worker at a 新业态暖心服务 session moves it."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.accounts.tests.factories import UserFactory
from apps.activities.models import Kind
from apps.activities.tests.factories import make_activity
from apps.core import registry
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance
from apps.membership.apps import NEW_FORM_SERVED_METRICS

pytestmark = pytest.mark.django_db


def test_every_count_behind_the_sum_is_a_metric_an_app_offers():
    offered = registry.metrics()
    assert [key for key in NEW_FORM_SERVED_METRICS if key not in offered] == []


def test_a_courier_checked_in_at_a_warm_service_session_is_counted_once():
    start = timezone.now() + datetime.timedelta(minutes=30)
    activity = make_activity(kind=Kind.NEW_FORM, title="新业态暖心驿站服务日", start=start, sessions=2)
    courier = UserFactory(occupation=Occupation.COURIER)
    year = timezone.localtime(start).year
    before = registry.metric_value("membership.new_form_served_all", year)
    engine.signup(roster=activity.roster, person=courier)
    first = activity.sessions.order_by("occasion__starts_at").first().occasion
    engine.checkin(occasion=first, person=courier, method=Attendance.Method.DOOR_QR)
    assert registry.metric_value("activities.new_form_attended", year) == 1
    assert registry.metric_value("membership.new_form_served_all", year) == before + 1
