"""Journey 8: the consultation form says everything at once, offers 由工会分派, and slots follow the station."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.legal_aid.models import Consultation

from ..factories import DutyShiftFactory, LegalStationFactory

pytestmark = pytest.mark.django_db

URL = reverse("legal_aid:consultation_new")
BASE = {"topic": "wages", "question": "欠薪三个月", "contact_name": "刘", "contact_phone": "13800000000"}


def _errors(response) -> list[str]:
    return re.findall(r'class="error" role="alert">([^<]*)<', response.content.decode())


def test_the_station_list_starts_with_let_the_union_assign(client, worker, station):
    client.force_login(worker)
    page = client.get(URL).content.decode()
    first = re.search(r'<select name="station"[^>]*>\s*<option value="[^"]*"[^>]*>([^<]*)<', page).group(1)
    assert first == "不确定，由工会分派"


def test_every_problem_is_named_in_one_pass(client, worker, station):
    client.force_login(worker)
    response = client.post(URL, {**BASE, "question": "", "channel": "callback", "callback_date": ""})
    errors = _errors(response)
    body = response.content.decode()
    assert 'data-testid="error-summary"' in body
    for expected in ("请选择回拨日期。", "请选择方便接电话的时间。", "请阅读并同意《个人信息保护告知》后再提交咨询。"):
        assert expected in errors, errors
    assert len(errors) >= 4  # the empty question too, all in the first answer
    assert not Consultation.objects.exists()


def test_a_slot_of_another_station_says_which_and_what_to_do(client, worker, station):
    other = LegalStationFactory(name="戴南镇法律服务站")
    shift = DutyShiftFactory(station=other)
    client.force_login(worker)
    response = client.post(URL, {**BASE, "station": station.pk, "channel": "slot", "shift": shift.pk, "consent": "on"})
    errors = _errors(response)
    assert any("戴南镇法律服务站" in e and "老黄维权站" in e for e in errors), errors
    assert "选择一个有效的选项" not in response.content.decode()
    assert f'data-station="{other.pk}"' in response.content.decode()


def test_no_station_chosen_goes_to_the_slots_station_or_the_city_station(client, worker, station):
    other = LegalStationFactory(name="戴南镇法律服务站")
    shift = DutyShiftFactory(station=other)
    client.force_login(worker)
    client.post(URL, {**BASE, "station": "", "channel": "slot", "shift": shift.pk, "consent": "on"})
    assert Consultation.objects.get().station == other
    Consultation.objects.all().delete()
    client.post(URL, {**BASE, "station": "", "channel": "written", "consent": "on"})
    assert Consultation.objects.get().station == station  # the flagship receives and triages it


def test_chosen_files_are_said_to_be_chosen_again_after_an_error(client, worker, station, pdf):
    client.force_login(worker)
    response = client.post(URL, {**BASE, "channel": "written", "attachments": [pdf(), pdf("pay.pdf")]})
    body = response.content.decode()
    assert 'data-testid="files-dropped"' in body and "2 个文件还没有上传" in body
    assert "请重新选择刚才的 2 个文件。" in body


def test_a_past_callback_date_is_refused_with_the_rest(client, worker, station):
    client.force_login(worker)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        URL, {**BASE, "channel": "callback", "callback_date": yesterday.isoformat(), "callback_window": "09-12"}
    )
    assert "回拨日期不能早于今天。" in _errors(response)
