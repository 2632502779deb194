"""Journey 19: load_demo ends with a short summary and one table of demo logins, roles in Chinese."""

import pytest
from django.core.management import call_command

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_load_demo_prints_a_summary_not_mails_and_one_account_table(capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Content-Type:" not in out and "MIME-Version" not in out
    table = out[out.rindex("演示账号（密码均为 union-demo-2024）：") :]
    lines = table.splitlines()
    for username, role in [("lawyer", "值班律师"), ("reviewer", "创新成果评审专家"), ("leader", "领导（查看驾驶舱）")]:
        row = [line for line in lines if line.split()[:1] == [username]]
        assert len(row) == 1 and role in row[0], (username, row)
    assert "station_keeper" not in out and "activity_organiser" not in out  # role keys never shown
    assert out.count("演示账号（") == 1
    demo_users = User.objects.filter(email__endswith="@example.com").count()
    assert sum(1 for line in lines if line.startswith("  ") and line.split()) == demo_users
