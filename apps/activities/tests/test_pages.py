import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.activities import services
from apps.activities.models import Activity, Kind
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment

from .factories import DepartmentFactory, make_activity

pytestmark = pytest.mark.django_db
State = Enrolment.State


@pytest.fixture
def organiser():
    return UserFactory(roles=["activity_organiser"], employer=DepartmentFactory(name="兴化市总工会宣传教育部"))


def test_list_shows_what_is_on_soonest_first_with_places_left_or_waiting():
    later = make_activity(title="经典诵读", start=timezone.now() + datetime.timedelta(days=9))
    soon = make_activity(title="文化沙龙", places=1, roster_fields={"waiting_list": True})
    engine.signup(roster=soon.roster, person=UserFactory())
    make_activity(title="草稿活动", publish=False)
    page = Client().get(reverse("activities:list")).content.decode()
    assert page.index("文化沙龙") < page.index("经典诵读") and "草稿活动" not in page
    assert "候补" in page and "剩余 30 个名额" in page
    assert later.get_absolute_url() in page


def test_list_filters_by_kind_town_date_and_for_me(client):
    make_activity(title="康乃馨讲座", kind=Kind.CARNATION, audience=Activity.Audience.WOMEN)
    make_activity(title="短视频制作", kind=Kind.TRAINING, start=timezone.now() + datetime.timedelta(days=5))
    page = client.get(reverse("activities:list"), {"kind": "training"}).content.decode()
    assert "短视频制作" in page and "康乃馨讲座" not in page
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    page = client.get(reverse("activities:list"), {"date": day}).content.decode()
    assert "短视频制作" in page and "康乃馨讲座" not in page
    client.force_login(UserFactory(sex="male"))
    page = client.get(reverse("activities:list"), {"for_me": "1"}).content.decode()
    assert "短视频制作" in page and "康乃馨讲座" not in page
    assert client.get(reverse("activities:list"), {"town": "x", "date": "bad", "kind": "nope"}).status_code == 200


def test_list_and_activity_page_queries_stay_flat(client, django_assert_max_num_queries):
    for index in range(3):
        make_activity(title=f"活动{index}", sessions=2)
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("activities:list"))
    for index in range(12):
        activity = make_activity(title=f"更多活动{index}", sessions=3)
        for _ in range(3):
            engine.signup(roster=activity.roster, person=UserFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("activities:list"))
    worker = UserFactory()
    engine.signup(roster=activity.roster, person=worker)
    client.force_login(worker)
    with django_assert_max_num_queries(14) as one:
        client.get(activity.get_absolute_url())
    other = make_activity(title="第二个", sessions=8)
    for _ in range(10):
        engine.signup(roster=other.roster, person=UserFactory())
    engine.signup(roster=other.roster, person=worker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(other.get_absolute_url())


def test_anonymous_list_and_page_come_from_the_page_cache(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    activity = make_activity()
    assert client.get(activity.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(activity.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("activities:list"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("activities:list"))["X-Page-Cache"] == "hit"


def test_worker_signs_up_in_one_tap_and_a_double_tap_makes_one_enrolment(client):
    activity, worker = make_activity(), UserFactory()
    client.force_login(worker)
    url = reverse("activities:signup", args=[activity.pk])
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert "报名成功" in first.content.decode() and "无需重复提交" in second.content.decode()
    assert Enrolment.objects.filter(person=worker).count() == 1
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "报名成功" in page and 'data-testid="my-code"' in page


def test_full_activity_puts_the_worker_on_the_waiting_list_with_their_position(client):
    activity = make_activity(places=1)
    engine.signup(roster=activity.roster, person=UserFactory())
    client.force_login(UserFactory())
    page = client.post(reverse("activities:signup", args=[activity.pk]), follow=True).content.decode()
    assert "候补，排第 1 位" in page and "候补第 1 位" in page


def test_cancelled_activity_refuses_sign_up_with_the_reason(client, organiser):
    activity = make_activity(organiser=organiser.employer)
    services.activity_cancel(activity=activity, reason="台风预警")
    client.force_login(UserFactory())
    page = client.post(reverse("activities:signup", args=[activity.pk]), follow=True).content.decode()
    assert "该活动已取消：台风预警" in page and not Enrolment.objects.exists()


def test_audience_not_matched_shows_the_reason(client):
    activity = make_activity(kind=Kind.CARNATION, audience=Activity.Audience.WOMEN)
    client.force_login(UserFactory(sex=""))
    page = client.post(reverse("activities:signup", args=[activity.pk]), follow=True).content.decode()
    assert "填写性别" in page and not Enrolment.objects.exists()


def test_childcare_needs_an_age_in_range_and_consent_and_keeps_the_child_off_public_pages(client):
    activity = make_activity(kind=Kind.CHILDCARE, title="暑期托管班", child_min_age=6, child_max_age=12)
    parent = UserFactory()
    client.force_login(parent)
    url = reverse("activities:signup", args=[activity.pk])
    data = {"dependant_name": "王小明", "dependant_age": 4, "guardian_phone": "13800000000", "guardian_consent": "on"}
    page = client.post(url, data, follow=True).content.decode()
    assert "6–12 岁" in page and not Enrolment.objects.exists()
    page = client.post(url, {**data, "dependant_age": 8, "guardian_consent": ""}, follow=True).content.decode()
    assert "监护人" in page and not Enrolment.objects.exists()
    client.post(url, {**data, "dependant_age": 8})
    assert Enrolment.objects.get().dependant_name == "王小明"
    client.logout()
    assert "王小明" not in client.get(activity.get_absolute_url()).content.decode()
    assert "王小明" not in client.get(reverse("activities:list")).content.decode()


def test_worker_cannot_touch_another_workers_enrolment(client):
    activity = make_activity()
    theirs = engine.signup(roster=activity.roster, person=UserFactory()).enrolment
    client.force_login(UserFactory())
    url = reverse("activities:enrolment_action", args=[activity.pk, theirs.pk, "cancel"])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.CONFIRMED


def test_cancel_promotes_the_first_waiting_who_confirms(client, django_capture_on_commit_callbacks):
    activity = make_activity(places=1)
    holder, waiting = UserFactory(), UserFactory()
    mine = engine.signup(roster=activity.roster, person=holder).enrolment
    theirs = engine.signup(roster=activity.roster, person=waiting).enrolment
    client.force_login(holder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:enrolment_action", args=[activity.pk, mine.pk, "cancel"]))
    theirs.refresh_from_db()
    assert theirs.state == State.OFFERED
    client.force_login(waiting)
    assert "请确认" in client.get(activity.get_absolute_url()).content.decode()
    client.post(reverse("activities:enrolment_action", args=[activity.pk, theirs.pk, "accept"]))
    theirs.refresh_from_db()
    assert theirs.state == State.CONFIRMED


def test_ics_lists_every_session_with_the_place():
    activity = make_activity(sessions=3, title="电商直播培训")
    response = Client().get(reverse("activities:ics", args=[activity.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 3 and "LOCATION:明己书院" in body and "\r\n" in body


def test_door_code_checks_a_worker_in_and_a_forged_one_is_refused(client):
    activity = make_activity(start=timezone.now() - datetime.timedelta(minutes=30))
    worker = UserFactory()
    engine.signup(roster=activity.roster, person=worker)
    session = activity.sessions.get()
    token = engine.door_token(occasion=session.occasion)
    client.force_login(worker)
    page = client.post(reverse("activities:door", args=[token])).content.decode()
    assert "签到成功" in page and Attendance.objects.count() == 1
    forged = client.post(reverse("activities:door", args=[token[:-3] + "abc"]))
    assert forged.status_code == 400 and "签到码无效" in forged.content.decode()
    old = engine.door_token(occasion=session.occasion, day=timezone.localdate() - datetime.timedelta(days=1))
    assert "已过期" in client.get(reverse("activities:door", args=[old])).content.decode()


def test_worker_rates_once_after_attending(client):
    activity = make_activity(start=timezone.now() - datetime.timedelta(minutes=30))
    worker = UserFactory()
    enrolment = engine.signup(roster=activity.roster, person=worker).enrolment
    engine.checkin(occasion=activity.sessions.get().occasion, person=worker, method=Attendance.Method.DOOR_QR)
    client.force_login(worker)
    assert 'data-testid="rate-form"' in client.get(activity.get_absolute_url()).content.decode()
    url = reverse("activities:rate", args=[activity.pk, enrolment.pk])
    assert "谢谢您的评价" in client.post(url, {"score": 5}, follow=True).content.decode()
    assert "已经评价过" in client.post(url, {"score": 4}, follow=True).content.decode()


def test_organiser_of_another_department_gets_403(client, organiser):
    activity = make_activity(organiser=DepartmentFactory(name="兴化市总工会女职工部"))
    client.force_login(organiser)
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    assert client.get(reverse("activities:roster", args=[activity.pk])).status_code == 403
    assert client.get(reverse("activities:export", args=[activity.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("activities:manage")).status_code == 403


def test_organiser_creates_a_course_adds_sessions_publishes_and_copies_it(client, organiser):
    client.force_login(organiser)
    data = {
        "kind": "training",
        "title": "短视频制作",
        "series_number": 3,
        "organiser": organiser.employer_id,
        "audience": "everyone",
        "place_name": "恒兴科技园7点班实践基地",
        "signup_required": "on",
        "completion_sessions": 2,
        "places": 40,
        "allocation": "first_come",
        "waiting_list": "on",
        "hold_hours": 24,
    }
    response = client.post(reverse("activities:new"), data)
    activity = Activity.objects.get(title="短视频制作")
    assert response.status_code == 302 and activity.roster.places == 40 and activity.status == "draft"
    day = timezone.localdate() + datetime.timedelta(days=10)
    for offset in (0, 7):
        session = {"day": (day + datetime.timedelta(days=offset)).isoformat(), "start": "19:00", "end": "21:00"}
        client.post(reverse("activities:session_add", args=[activity.pk]), session)
    assert activity.sessions.count() == 2
    client.post(reverse("activities:action", args=[activity.pk, "publish"]))
    activity.refresh_from_db()
    assert activity.status == "published" and activity.roster.is_open
    client.post(reverse("activities:action", args=[activity.pk, "copy"]))
    copy = Activity.objects.exclude(pk=activity.pk).get()
    assert copy.series_number == 4 and copy.sessions.count() == 2 and copy.status == "draft"
    assert copy.roster.places == 40 and copy.roster.taken == 0


def test_organiser_checks_in_by_phone_records_a_head_count_messages_and_exports(
    client, organiser, django_capture_on_commit_callbacks
):
    activity = make_activity(organiser=organiser.employer, start=timezone.now() - datetime.timedelta(minutes=20))
    worker = UserFactory(phone="13912345678")
    engine.signup(roster=activity.roster, person=worker)
    session = activity.sessions.get()
    client.force_login(organiser)
    page = client.post(reverse("activities:checkin", args=[session.pk]), {"code": "13912345678"}, follow=True)
    assert "签到成功" in page.content.decode() and Attendance.objects.count() == 1
    code = engine.person_code(worker)
    page = client.post(reverse("activities:checkin", args=[session.pk]), {"code": code}, follow=True)
    assert "已经签到过了" in page.content.decode()
    assert client.get(reverse("activities:door_qr", args=[session.pk]))["Content-Type"] == "image/svg+xml"
    client.post(reverse("activities:session_action", args=[session.pk, "head_count"]), {"head_count": 80})
    session.refresh_from_db()
    assert session.head_count == 80
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("activities:action", args=[activity.pk, "message"])
        page = client.post(url, {"title": "改到二楼", "body": "请走东门"}, follow=True)
    assert "已发送给 1 人" in page.content.decode()
    export = client.get(reverse("activities:export", args=[activity.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_session_cancel_tells_everyone(client, organiser, django_capture_on_commit_callbacks):
    from apps.reminders.models import Notification

    activity = make_activity(organiser=organiser.employer, sessions=2)
    for _ in range(2):
        engine.signup(roster=activity.roster, person=UserFactory())
    session = activity.sessions.first()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:session_action", args=[session.pk, "cancel"]), {"reason": "场地检修"})
    assert Notification.objects.filter(body__contains="场地检修").count() == 2


def test_me_panel_lists_my_sign_ups_and_my_code(client):
    activity = make_activity(title="经典诵读会")
    worker = UserFactory()
    engine.signup(roster=activity.roster, person=worker)
    client.force_login(worker)
    page = client.get(reverse("accounts:me")).content.decode()
    assert "经典诵读会" in page and reverse("activities:my_code") in page
    assert client.get(reverse("activities:my_code"))["Content-Type"] == "image/svg+xml"


def test_a_double_tap_on_send_or_create_acts_once(client, organiser, django_capture_on_commit_callbacks):
    from apps.reminders.models import Notification

    activity = make_activity(organiser=organiser.employer)
    engine.signup(roster=activity.roster, person=UserFactory())
    client.force_login(organiser)
    url = reverse("activities:action", args=[activity.pk, "message"])
    data = {"title": "改期通知", "body": "改到周六", "submission_token": "tap-once-1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)
    assert Notification.objects.filter(title__contains="改期通知").count() == 1
    form = {
        "kind": "reading",
        "title": "只建一次",
        "organiser": organiser.employer_id,
        "audience": "everyone",
        "place_name": "明己书院",
        "signup_required": "on",
        "completion_sessions": 1,
        "places": 10,
        "allocation": "first_come",
        "hold_hours": 24,
        "submission_token": "tap-once-2",
    }
    first, second = client.post(reverse("activities:new"), form), client.post(reverse("activities:new"), form)
    assert Activity.objects.filter(title="只建一次").count() == 1
    assert first["Location"] == second["Location"]


def test_near_me_sorts_by_distance_and_says_how_far(client):
    from decimal import Decimal

    far = make_activity(title="远处的活动", latitude=Decimal("33.200000"), longitude=Decimal("119.800000"))
    near = make_activity(
        title="近处的活动",
        start=timezone.now() + datetime.timedelta(days=8),
        latitude=Decimal("32.931000"),
        longitude=Decimal("119.840000"),
    )
    make_activity(title="没有位置的活动", start=timezone.now() + datetime.timedelta(days=1))
    page = client.get(reverse("activities:list"), {"lat": "32.930000", "lng": "119.840000"}).content.decode()
    assert page.index(near.title) < page.index(far.title) < page.index("没有位置的活动")
    assert "距您 111 米" in page
    assert client.get(reverse("activities:list"), {"lat": "999", "lng": "x"}).status_code == 200
