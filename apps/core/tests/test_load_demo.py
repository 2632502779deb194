import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.core.models import Organization, Town

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_creates_one_user_per_role(capsys):
    call_command("load_demo")
    counts = (Town.objects.count(), Organization.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (Town.objects.count(), Organization.objects.count(), User.objects.count()) == counts
    assert Town.objects.count() == 26
    for role in ["editor", "chief_editor", "tenthings_reporter", "leader", "lawyer", "station_keeper", "reviewer"]:
        assert User.objects.filter(groups__name=role).exists(), role
    out = capsys.readouterr().out
    assert "union-demo-2024" in out and "leader" in out
