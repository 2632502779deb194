"""Item 20: the triage queue presets no lawyer; the officer chooses one."""

import pytest
from django.urls import reverse

from ..factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_the_lawyer_select_starts_empty(client, officer, lawyer, station):
    ConsultationFactory(station=station)
    client.force_login(officer)
    body = client.get(reverse("legal_aid:triage")).content.decode()
    select = body[body.index('<select name="lawyer"') :]
    select = select[: select.index("</select>")]
    assert 'required><option value="">选择律师</option>' in select
    assert "selected" not in select
