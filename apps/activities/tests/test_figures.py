import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.activities import services
from apps.activities.figures import figure_group
from apps.activities.models import Kind
from apps.activities.selectors import held_count, person_times
from apps.core import registry
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance

from .factories import make_activity

pytestmark = pytest.mark.django_db


def _held_talk(count, *, days_ago=2):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    activity = make_activity(kind=Kind.TALK, title="双进宣讲", signup_required=False, start=start)
    services.activity_mark_held(activity=activity)
    services.head_count_record(session=activity.sessions.get(), count=count)
    return activity


def test_held_counts_only_held_activities_with_someone_there():
    year = _held_talk(80, days_ago=0).starts_on.year
    _held_talk(0, days_ago=0)  # held, but nobody came: not counted
    make_activity(kind=Kind.TALK, title="还没举办")
    assert held_count(Kind.TALK, year) == 1
    assert held_count(Kind.READING, year) == 0


def test_person_times_add_check_ins_and_head_counts_of_the_kinds_sessions():
    course = make_activity(kind=Kind.TRAINING, sessions=1, start=timezone.now() - datetime.timedelta(minutes=10))
    year = course.starts_on.year
    people = [UserFactory() for _ in range(3)]
    occasion = course.sessions.get().occasion
    for person in people:
        engine.signup(roster=course.roster, person=person)
        engine.checkin(occasion=occasion, person=person, method=Attendance.Method.DOOR_QR)
    services.head_count_record(session=course.sessions.get(), count=5)
    assert person_times(Kind.TRAINING, year) == 8
    assert registry.metric_value("activities.training.person_times", year) == Decimal(8)


def test_a_linked_indicator_moves_when_an_activity_is_held_and_the_dashboard_shows_it_against_target():
    from apps.tenthings.selectors import plan_progress
    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory

    start = timezone.now() - datetime.timedelta(minutes=5)
    year = timezone.localtime(start).year  # the year the talk counts in
    plan = PlanFactory(year=year)
    indicator = IndicatorFactory(
        item=ItemFactory(plan=plan, number=1), name="“双进”宣讲", target=Decimal(20), metric_key="activities.talk.held"
    )

    def actual():
        row = next(r for p in plan_progress(plan).items for r in p.indicators if r.indicator.pk == indicator.pk)
        return row.actual

    before = actual()
    activity = make_activity(kind=Kind.TALK, title="双进宣讲", signup_required=False, start=start)
    services.activity_mark_held(activity=activity)
    services.head_count_record(session=activity.sessions.get(), count=60)
    assert actual() == before + 1
    group = figure_group(year)
    talk = next(f for f in group.figures if f.key == "talk_held")
    assert talk.value == 1 and talk.target == 20 and talk.definition
    assert all(figure.definition for figure in group.figures)


def test_a_closed_year_does_not_move_when_this_years_activities_are_held():
    last_year = timezone.localdate().year - 1
    before = held_count(Kind.TALK, last_year)
    _held_talk(50)
    assert held_count(Kind.TALK, last_year) == before


def test_dashboard_no_show_rate_and_satisfaction_with_its_count():
    activity = make_activity(start=timezone.now() - datetime.timedelta(hours=4))
    came, missed = UserFactory(), UserFactory()
    enrolment = engine.signup(roster=activity.roster, person=came).enrolment
    engine.signup(roster=activity.roster, person=missed)
    engine.checkin(
        occasion=activity.sessions.get().occasion,
        person=came,
        method=Attendance.Method.PHONE,
        now=timezone.now() - datetime.timedelta(hours=3),
    )
    engine.no_shows_mark()
    enrolment.refresh_from_db()
    engine.satisfaction_submit(enrolment=enrolment, score=4)
    figures = {f.key: f for f in figure_group(activity.starts_on.year).figures}
    assert figures["no_show_rate"].value == Decimal("50.0")
    assert figures["satisfaction"].value == Decimal("4.00") and "共 1 份" in str(figures["satisfaction"].definition)
