import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.reminders.models import Notification
from apps.stations import services
from apps.stations.models import Inspection, InspectionItem, Station

from .factories import InspectionFactory, StationFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _form(station, **states):
    data = {"inspected_on": timezone.localdate().isoformat(), "notes": "例行巡检"}
    for amenity in station.amenities.all():
        data[f"state_{amenity.pk}"] = states.get(amenity.code, "ok")
    return data


def _png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return SimpleUploadedFile("site.png", out.getvalue(), content_type="image/png")


def test_keeper_sees_only_their_own_stations(client, keeper, station):
    StationFactory(name="别人的驿站")
    client.force_login(keeper)
    body = client.get(reverse("stations:keeper")).content.decode()
    assert station.name in body and "别人的驿站" not in body


def test_keeper_pages_answer_404_for_a_station_not_theirs(client, keeper, station):
    other = StationFactory(phone="111")
    client.force_login(keeper)
    for name in ("stations:inspection_new", "stations:usage", "stations:keeper_edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    response = client.post(
        reverse("stations:keeper_edit", args=[other.pk]), {"phone": "999", "status": "suspended", "status_reason": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.phone == "111" and other.status == Station.Status.OPEN
    assert client.post(reverse("stations:inspection_new", args=[other.pk]), _form(other)).status_code == 404
    assert not Inspection.objects.exists()


def test_keeper_pages_answer_403_naming_the_role_for_a_worker_and_ask_strangers_to_sign_in(client, worker, station):
    assert client.get(reverse("stations:keeper")).status_code == 302
    client.force_login(worker)
    response = client.get(reverse("stations:keeper"))
    assert response.status_code == 403
    assert "驿站管理员" in response.content.decode()  # says which role the page needs and who grants it
    assert client.get(reverse("stations:usage", args=[station.pk])).status_code == 403


def test_inspection_with_a_broken_microwave_reminds_keepers_and_staff_once(
    client, keeper, staff, station, microwave, django_capture_on_commit_callbacks
):
    client.force_login(keeper)
    url = reverse("stations:inspection_new", args=[station.pk])
    page = client.get(url).content.decode()
    assert "热饭 · 微波炉" in page
    data = _form(station, **{"hot-meal": "broken"})
    data["photo"] = _png()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.next_due == inspection.inspected_on + datetime.timedelta(days=30)
    assert inspection.photo.name.endswith(".png")
    assert inspection.items.get(amenity=microwave).state == InspectionItem.State.BROKEN
    for person in (keeper, staff):
        notes = Notification.objects.filter(user=person, kind="stations.inspection_problem")
        assert notes.count() == 1
        assert "微波炉：损坏" in notes.get().body
    # The same due date again (a second form post, a retried task): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(station, **{"hot-meal": "broken"}))
    assert services.inspection_notify_problems(inspection_id=inspection.pk) == 0
    assert Notification.objects.filter(user=staff, kind="stations.inspection_problem").count() == 1


def test_inspection_all_ok_sends_no_reminder(client, keeper, staff, station, django_capture_on_commit_callbacks):
    client.force_login(keeper)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stations:inspection_new", args=[station.pk]), _form(station))
    assert Inspection.objects.get().items.count() == 2
    assert not Notification.objects.exists()


def test_inspection_photo_that_is_not_an_image_is_refused_and_nothing_saved(client, keeper, station):
    client.force_login(keeper)
    data = _form(station)
    data["photo"] = SimpleUploadedFile("photo.jpg", b"this is not an image", content_type="image/jpeg")
    response = client.post(reverse("stations:inspection_new", args=[station.pk]), data)
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Inspection.objects.exists()


def test_inspection_due_date_must_follow_the_inspection(client, keeper, station):
    client.force_login(keeper)
    data = _form(station)
    data["next_due"] = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("stations:inspection_new", args=[station.pk]), data)
    assert "下次巡检日期必须晚于本次巡检日期" in response.content.decode()
    assert not Inspection.objects.exists()


def test_inspection_due_date_cannot_be_pushed_past_half_a_year(client, keeper, station):
    # a far-off due date would silence the overdue reminders for the station
    client.force_login(keeper)
    data = _form(station)
    data["next_due"] = "9999-12-31"
    response = client.post(reverse("stations:inspection_new", args=[station.pk]), data)
    assert "不能晚于本次巡检后 180 天" in response.content.decode()
    assert not Inspection.objects.exists()
    data["next_due"] = (timezone.localdate() + datetime.timedelta(days=180)).isoformat()
    assert client.post(reverse("stations:inspection_new", args=[station.pk]), data).status_code == 302
    assert Inspection.objects.count() == 1


def test_overdue_inspection_reminds_keepers_and_staff_once_per_due_date(keeper, staff, station):
    today = timezone.localdate()
    due = today - datetime.timedelta(days=24)
    InspectionFactory(station=station, inspected_on=due - datetime.timedelta(days=30))  # due 24 days ago
    StationFactory(opened_on=today - datetime.timedelta(days=4))  # new station, not due yet
    assert services.inspections_overdue_notify(today=today) == 2
    assert services.inspections_overdue_notify(today=today) == 0
    assert services.inspections_overdue_notify(today=today + datetime.timedelta(days=1)) == 0
    note = Notification.objects.get(user=keeper)
    assert note.kind == "stations.inspection_overdue" and due.isoformat() in note.key
    # A new inspection with a new due date that also slips: one more reminder.
    InspectionFactory(
        station=station, inspected_on=today - datetime.timedelta(days=23), next_due=today - datetime.timedelta(days=14)
    )
    assert services.inspections_overdue_notify(today=today) == 2


def test_overdue_check_task_runs_the_service(keeper, station):
    from apps.stations.tasks import inspections_overdue_check

    InspectionFactory(station=station, inspected_on=timezone.localdate() - datetime.timedelta(days=40))
    assert inspections_overdue_check.delay().get() >= 1
    assert Notification.objects.filter(user=keeper, kind="stations.inspection_overdue").count() == 1


def test_usage_page_shows_visits_per_occupation(client, keeper, station, django_assert_max_num_queries):
    day = timezone.localdate()
    VisitFactory(station=station, day=day, occupation="courier")
    VisitFactory(station=station, day=day, occupation="truck")
    VisitFactory(day=day)  # another station's visitor
    client.force_login(keeper)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stations:usage", args=[station.pk]))
    body = response.content.decode()
    assert 'data-testid="usage-total">2<' in body
    assert "货车司机" in body


def test_keeper_suspends_their_station_with_a_reason(client, keeper, station):
    client.force_login(keeper)
    url = reverse("stations:keeper_edit", args=[station.pk])
    response = client.post(url, {"phone": "0523-1", "status": "suspended", "status_reason": ""})
    assert "请填写原因" in response.content.decode()
    client.post(url, {"phone": "0523-1", "status": "suspended", "status_reason": "停电检修"})
    station.refresh_from_db()
    assert station.status == Station.Status.SUSPENDED and station.status_reason == "停电检修"


def test_me_page_shows_a_keepers_stations_and_overdue_count(client, keeper, station):
    InspectionFactory(station=station, inspected_on=timezone.localdate() - datetime.timedelta(days=40))
    client.force_login(keeper)
    body = client.get(reverse("accounts:me")).content.decode()
    assert "我管理的驿站" in body and station.name in body and "巡检逾期" in body


def test_admin_inspection_with_a_broken_item_reminds_keepers(
    client, keeper, station, microwave, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with_items = {
        "station": station.pk,
        "inspector": keeper.pk,
        "inspected_on": (timezone.localdate() - datetime.timedelta(days=4)).isoformat(),
        "next_due": (timezone.localdate() + datetime.timedelta(days=26)).isoformat(),
        "notes": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-amenity": microwave.pk,
        "items-0-state": "broken",
        "items-0-note": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:stations_inspection_add"), with_items)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Notification.objects.filter(user=keeper, kind="stations.inspection_problem").count() == 1


def test_admin_station_pages_load(client, staff, station):
    client.force_login(staff)
    assert client.get(reverse("admin:stations_station_changelist")).status_code == 200
    assert client.get(reverse("admin:stations_station_change", args=[station.pk])).status_code == 200
    response = client.post(
        reverse("admin:stations_station_changelist"), {"action": "mark_verified", "_selected_action": [station.pk]}
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.verified_at is not None


def test_station_must_give_a_reason_when_closed():
    from django.core.exceptions import ValidationError

    station = StationFactory.build(status=Station.Status.CLOSED, status_reason="")
    with pytest.raises(ValidationError):
        station.clean()
