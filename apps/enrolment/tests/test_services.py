import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.enrolment import services
from apps.enrolment.models import Attendance, Enrolment, PriorityGroup, Roster
from apps.enrolment.services.draw import _draw_inputs as draw_inputs
from apps.reminders.models import Notification

from .factories import OccasionFactory, RosterFactory

pytestmark = pytest.mark.django_db
State = Enrolment.State


def signup(roster, user=None, **kwargs):
    return services.signup(roster=roster, person=user or UserFactory(), **kwargs).enrolment


def test_first_come_places_are_confirmed_then_people_wait_in_order():
    roster = RosterFactory(places=2)
    states = [signup(roster).state for _ in range(4)]
    roster.refresh_from_db()
    assert states == [State.CONFIRMED, State.CONFIRMED, State.WAITING, State.WAITING]
    assert (roster.taken, roster.waiting, roster.places_left) == (2, 2, 0)
    third = Enrolment.objects.filter(state=State.WAITING).order_by("pk")
    assert [services.waiting_position(e) for e in third] == [1, 2]


def test_signing_up_twice_makes_one_enrolment():
    roster, worker = RosterFactory(), UserFactory()
    first = services.signup(roster=roster, person=worker)
    again = services.signup(roster=roster, person=worker)
    assert first.created and not again.created and again.enrolment.pk == first.enrolment.pk
    assert Enrolment.objects.filter(roster=roster, person=worker).count() == 1
    roster.refresh_from_db()
    assert roster.taken == 1


def test_the_database_refuses_a_second_live_enrolment_written_directly():
    enrolment = signup(RosterFactory())
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(roster=enrolment.roster, person=enrolment.person, state=State.WAITING)


def test_full_roster_without_waiting_list_says_so_and_saves_nothing():
    roster = RosterFactory(places=1, waiting_list=False)
    signup(roster)
    with pytest.raises(ValidationError, match="名额已满，本活动不设候补"):
        signup(roster)
    assert Enrolment.objects.filter(roster=roster).count() == 1


def test_signing_up_outside_the_window_names_the_time():
    now = timezone.now()
    early = RosterFactory(opens_at=now + datetime.timedelta(days=1))
    late = RosterFactory(closes_at=now - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="报名将于"):
        signup(early)
    with pytest.raises(ValidationError, match="报名已于 .* 截止"):
        signup(late)
    assert not Enrolment.objects.exists()


def test_closed_roster_refuses_sign_up():
    with pytest.raises(ValidationError, match="停止报名"):
        signup(RosterFactory(is_open=False))


def test_audience_not_matched_gives_the_reason():
    women = RosterFactory(audience=Roster.Audience.WOMEN)
    with pytest.raises(ValidationError, match="还没有在“我的”中填写性别"):
        signup(women, UserFactory(sex=""))
    with pytest.raises(ValidationError, match="本活动面向女职工"):
        signup(women, UserFactory(sex="male"))
    assert signup(women, UserFactory(sex="female")).state == State.CONFIRMED


def test_members_only_refuses_a_worker_not_known_as_a_member():
    # Whether the membership app answers "not a member" or nobody answers at all, no place.
    with pytest.raises(ValidationError, match="仅限工会会员"):
        signup(RosterFactory(audience=Roster.Audience.MEMBERS))


def test_a_fact_nobody_knows_is_not_known_and_the_reason_says_so():
    from apps.enrolment.rules import RULES

    verdict = RULES["members"].check({}, None)
    assert not verdict.ok and "无法确认您的会员身份" in verdict.reason
    assert RULES["members"].check({"member": True}, None).ok
    assert not RULES["age_35_or_under"].check({"age": 36}, None).ok


def test_staff_can_enter_someone_an_audience_rule_would_refuse():
    roster = RosterFactory(audience=Roster.Audience.INVITATION)
    with pytest.raises(ValidationError, match="受邀"):
        signup(roster)
    assert signup(roster, channel=Enrolment.Channel.STAFF).state == State.CONFIRMED


def test_child_outside_the_age_range_is_refused_with_the_range():
    roster = RosterFactory(dependants_allowed=True, dependant_min_age=6, dependant_max_age=12, places=5)
    child = {"dependant_name": "小明", "guardian_phone": "13800000001", "guardian_consent": True}
    with pytest.raises(ValidationError) as caught:
        signup(roster, dependant_age=4, **child)
    assert "6–12 岁" in caught.value.message_dict["dependant_age"][0]
    with pytest.raises(ValidationError) as caught:
        signup(roster, dependant_age=8, **{**child, "guardian_consent": False})
    assert "监护人" in caught.value.message_dict["guardian_consent"][0]
    parent = UserFactory()
    enrolment = signup(roster, parent, dependant_age=8, **child)
    assert enrolment.dependant_name == "小明" and enrolment.guardian_consent_at is not None


def test_cancel_offers_the_place_to_the_first_waiting_with_a_deadline_and_tells_them(
    django_capture_on_commit_callbacks,
):
    roster = RosterFactory(places=1, hold_hours=24)
    OccasionFactory(roster=roster, starts_at=timezone.now() + datetime.timedelta(days=5))
    holder, first, second = signup(roster), signup(roster), signup(roster)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder, by=holder.person)
    first.refresh_from_db()
    second.refresh_from_db()
    roster.refresh_from_db()
    assert first.state == State.OFFERED and first.offer_expires_at > timezone.now()
    assert second.state == State.WAITING
    assert (roster.taken, roster.waiting) == (1, 1)
    assert Notification.objects.filter(user=first.person, key=f"enrolment.offered:{first.pk}").exists()


def test_offer_not_confirmed_in_time_passes_on_and_is_never_offered_twice():
    roster = RosterFactory(places=1)
    OccasionFactory(roster=roster, starts_at=timezone.now() + datetime.timedelta(days=5))
    holder, first, second = signup(roster), signup(roster), signup(roster)
    services.enrolment_cancel(enrolment=holder, by=holder.person)
    first.refresh_from_db()
    later = first.offer_expires_at + datetime.timedelta(minutes=1)
    assert services.offers_expire(now=later) == 1
    assert services.offers_expire(now=later) == 0  # a second beat finds nothing to pass on
    first.refresh_from_db()
    second.refresh_from_db()
    roster.refresh_from_db()
    assert first.state == State.EXPIRED and second.state == State.OFFERED
    assert roster.taken == 1 and Enrolment.objects.filter(roster=roster, state=State.OFFERED).count() == 1
    with pytest.raises(ValidationError, match="不再为您保留"):
        services.offer_accept(enrolment=first, now=later)


def test_late_confirmation_passes_the_place_on_with_a_message():
    roster = RosterFactory(places=1)
    OccasionFactory(roster=roster, starts_at=timezone.now() + datetime.timedelta(days=5))
    holder, first, second = signup(roster), signup(roster), signup(roster)
    services.enrolment_cancel(enrolment=holder, by=holder.person)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="确认时间已过"):
        services.offer_accept(enrolment=first, now=first.offer_expires_at + datetime.timedelta(seconds=1))
    second.refresh_from_db()
    assert second.state == State.OFFERED
    assert services.offer_accept(enrolment=second).state == State.CONFIRMED


def test_no_offer_close_to_the_start_the_waiting_list_is_told_first_come_at_the_door(
    django_capture_on_commit_callbacks,
):
    roster = RosterFactory(places=1)
    OccasionFactory(roster=roster, starts_at=timezone.now() + datetime.timedelta(minutes=90))
    holder, waiting = signup(roster), signup(roster)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder, by=holder.person)
    waiting.refresh_from_db()
    assert waiting.state == State.WAITING
    assert Notification.objects.filter(user=waiting.person, key=f"enrolment.door:{roster.pk}").exists()


def test_staff_cancel_needs_a_reason(django_capture_on_commit_callbacks):
    enrolment = signup(RosterFactory())
    with pytest.raises(ValidationError):
        services.enrolment_cancel(enrolment=enrolment, by=UserFactory(), reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=enrolment, by=UserFactory(), reason="重复报名")
    assert Notification.objects.filter(user=enrolment.person, key=f"enrolment.cancelled:{enrolment.pk}").exists()


def _draw_roster(places=3, people=10):
    now = timezone.now()
    roster = RosterFactory(
        places=places, allocation=Roster.Allocation.DRAW, closes_at=now + datetime.timedelta(hours=1)
    )
    young = PriorityGroup.objects.create(roster=roster, order=0, name="一线职工", rule="new_form", share="0.5")
    for index in range(people):
        signup(roster, UserFactory(occupation="courier" if index % 2 else ""))
    Roster.objects.filter(pk=roster.pk).update(closes_at=now - datetime.timedelta(minutes=1))
    roster.refresh_from_db()
    return roster, young


def test_draw_is_reproducible_from_its_seed_and_gives_everyone_a_number():
    roster, group = _draw_roster()
    assert set(Enrolment.objects.filter(roster=roster).values_list("state", flat=True)) == {State.APPLIED}
    assert Enrolment.objects.filter(priority_group=group).count() == 5
    order = services.draw_run(roster=roster, seed="abc123")
    roster.refresh_from_db()
    assert roster.draw_seed == "abc123" and (roster.taken, roster.waiting, roster.applied) == (3, 7, 0)
    numbers = list(Enrolment.objects.filter(roster=roster).order_by("draw_number").values_list("pk", flat=True))
    assert numbers == order
    # share 0.5 of 3 places: the priority group takes the first place by quota
    assert Enrolment.objects.get(pk=order[0]).priority_group == group
    assert services.draw_replay(roster=roster) == (order, True)
    assert services.draw_notify(roster_id=roster.pk) == 10 and services.draw_notify(roster_id=roster.pk) == 0
    won = Notification.objects.get(user=Enrolment.objects.get(pk=order[0]).person, key=f"enrolment.draw:{roster.pk}")
    assert "中签" in won.title
    assert services.draw_order(*draw_inputs(roster), "abc123", 3) == order
    assert services.draw_order(*draw_inputs(roster), "other", 3) != order


def test_draw_command_replays_the_same_list_and_refuses_to_draw_twice():
    roster, _group = _draw_roster()
    out = StringIO()
    call_command("enrolment_draw", roster.pk, "--seed", "s1", stdout=out)
    first = out.getvalue().splitlines()[1:-1]
    out = StringIO()
    call_command("enrolment_draw", roster.pk, "--replay", stdout=out)
    assert out.getvalue().splitlines()[1:-1] == first and "same list" in out.getvalue()
    with pytest.raises(ValidationError, match="不能重抽"):
        services.draw_run(roster=roster)


def test_draw_before_the_window_closes_is_refused():
    roster = RosterFactory(allocation=Roster.Allocation.DRAW, closes_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未截止"):
        services.draw_run(roster=roster)


def test_door_code_checks_in_today_and_refuses_a_forged_or_old_one():
    occasion = OccasionFactory(starts_at=timezone.now() - datetime.timedelta(minutes=10))
    enrolment = signup(occasion.roster)
    token = services.door_token(occasion=occasion)
    assert services.door_token_occasion(token) == occasion
    with pytest.raises(ValidationError, match="签到码无效"):
        services.door_token_occasion(token[:-2] + "xx")
    yesterday = services.door_token(occasion=occasion, day=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已过期"):
        services.door_token_occasion(yesterday)
    result = services.checkin(occasion=occasion, person=enrolment.person, method=Attendance.Method.DOOR_QR)
    again = services.checkin(occasion=occasion, person=enrolment.person, method=Attendance.Method.DOOR_QR)
    enrolment.refresh_from_db()
    assert not result.already and again.already and enrolment.state == State.ATTENDED
    assert Attendance.objects.filter(enrolment=enrolment).count() == 1


def test_checkin_without_a_place_is_refused_unless_walk_ins_are_allowed():
    occasion = OccasionFactory(starts_at=timezone.now() - datetime.timedelta(minutes=10))
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="没有找到您的有效报名"):
        services.checkin(occasion=occasion, person=stranger, method=Attendance.Method.DOOR_QR)
    Roster.objects.filter(pk=occasion.roster_id).update(walk_ins_allowed=True)
    result = services.checkin(occasion=occasion, person=stranger, method=Attendance.Method.DOOR_QR)
    assert result.walk_in and Enrolment.objects.get(person=stranger).walk_in


def test_checkin_far_from_the_session_time_is_refused():
    occasion = OccasionFactory(starts_at=timezone.now() + datetime.timedelta(days=2))
    enrolment = signup(occasion.roster)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.checkin(occasion=occasion, person=enrolment.person, method=Attendance.Method.DOOR_QR)


def test_staff_check_in_by_personal_code_or_phone():
    occasion = OccasionFactory(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    one, two = signup(occasion.roster), signup(occasion.roster, UserFactory(phone="13900000002"))
    person = services.person_from_code(services.person_code(one.person))
    services.checkin(occasion=occasion, person=person, method=Attendance.Method.PERSONAL_QR)
    with pytest.raises(ValidationError, match="个人签到码无效"):
        services.person_from_code(services.person_code(one.person) + "0")
    services.checkin_by_phone(occasion=occasion, phone="13900000002", by=UserFactory())
    with pytest.raises(ValidationError, match="没有找到手机号"):
        services.checkin_by_phone(occasion=occasion, phone="13900000009", by=UserFactory())
    assert Attendance.objects.filter(occasion=occasion).count() == 2
    assert two.person.enrolments.get().attendances.exists()


def test_after_the_end_confirmed_people_not_checked_in_are_no_shows_and_attendees_are_asked_once():
    occasion = OccasionFactory(starts_at=timezone.now() - datetime.timedelta(hours=3))
    came, stayed_home = signup(occasion.roster), signup(occasion.roster)
    services.checkin(occasion=occasion, person=came.person, method=Attendance.Method.PHONE, now=occasion.starts_at)
    assert services.no_shows_mark() == 1
    stayed_home.refresh_from_db()
    assert stayed_home.state == State.NO_SHOW
    assert services.satisfaction_ask() == 1 and services.satisfaction_ask() == 0
    came.refresh_from_db()
    services.satisfaction_submit(enrolment=came, score=5, comment="很好")
    with pytest.raises(ValidationError, match="已经评价过"):
        services.satisfaction_submit(enrolment=came, score=4)
    with pytest.raises(ValidationError, match="参加活动后才能评价"):
        services.satisfaction_submit(enrolment=stayed_home, score=4)
    with pytest.raises(ValidationError):
        services.satisfaction_submit(enrolment=came, score=9)


def test_tomorrow_reminder_links_the_persons_own_code_never_the_door_code():
    starts = timezone.localtime() + datetime.timedelta(days=1)
    occasion = OccasionFactory(starts_at=starts.replace(hour=10, minute=0))
    enrolment = signup(occasion.roster)
    assert services.tomorrow_remind() == 1 and services.tomorrow_remind() == 0
    note = Notification.objects.get(user=enrolment.person, key=f"enrolment.tomorrow:{occasion.pk}")
    assert note.url.endswith("#my-code") and "明己书院" in note.body
    assert services.door_token(occasion=occasion) not in note.body + note.url


def test_occasion_cancel_tells_everyone_enrolled(django_capture_on_commit_callbacks):
    occasion = OccasionFactory()
    people = [signup(occasion.roster).person for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.occasion_cancel(occasion=occasion, reason="场地维修")
    assert Notification.objects.filter(key=f"enrolment.occasion_cancelled:{occasion.pk}").count() == 3
    assert {n.user for n in Notification.objects.filter(body__contains="场地维修")} == set(people)


def test_a_nominating_union_fills_at_most_its_sub_quota():
    from apps.core.models import Organization
    from apps.enrolment.models import NominationQuota

    roster = RosterFactory(places=10, audience=Roster.Audience.INVITATION)
    union = Organization.objects.create(name="戴南镇总工会")
    NominationQuota.objects.create(roster=roster, union=union, places=2)
    nominated = {"channel": Enrolment.Channel.NOMINATED, "nominated_by": union}
    signup(roster, **nominated)
    signup(roster, **nominated)
    with pytest.raises(ValidationError, match="推荐名额（2 个）已用完"):
        signup(roster, **nominated)
    with pytest.raises(ValidationError, match="须注明推荐单位"):
        signup(roster, channel=Enrolment.Channel.NOMINATED)
    assert Enrolment.objects.filter(roster=roster, nominated_by=union).count() == 2
