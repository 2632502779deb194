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


def test_load_demo_refuses_a_site_with_debug_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG, settings.DEMO_ALLOWED = False, False
    with pytest.raises(CommandError, match="allow-production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_load_demo_on_a_real_site_makes_no_admin_and_no_known_password(settings, capsys):
    settings.DEBUG, settings.DEMO_ALLOWED = False, False
    call_command("load_demo", "--allow-production")
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(username="admin").exists()
    worker = User.objects.get(username="worker")
    assert not worker.check_password("union-demo-2024")
    assert "随机密码" in capsys.readouterr().out
