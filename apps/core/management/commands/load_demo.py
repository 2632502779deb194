import io
import logging
import re

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction
from django.test.utils import override_settings

from apps.core import registry

# A demo account's line as apps.accounts.demo.demo_user writes it; gathered into one table at the end.
_ACCOUNT_LINE = re.compile(r"^    (?P<username>[A-Za-z0-9_.@+-]+) +\S+ +\S+$|演示账号(（[^）]*）)?：$")


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data although DEBUG is off (a staging site). Demo users get random passwords.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production and not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError(
                "load_demo refuses to run with DEBUG off: demo users and invented records would land in "
                "a real database. Pass --allow-production for a staging site."
            )
        # Eager tasks log each success; the summary is what a newcomer needs to read.
        celery_log = logging.getLogger("celery")
        level = celery_log.level
        celery_log.setLevel(logging.WARNING)
        try:
            sent = self._load()
        finally:
            celery_log.setLevel(level)
        # This process answers "demo data here" at once; web workers see the generation move
        # when these writes commit (apps/core/registry.py, demo_present).
        registry.demo_changed()
        if sent:
            self.stdout.write(f"演示数据生成了 {sent} 封邮件（未发出，也不在此打印）。")
        self._accounts()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

    def _load(self) -> int:
        """Every app's demo data; the number of mails it produced (kept, never printed: the console
        backend would bury the summary under hundreds of lines of MIME)."""
        previous = getattr(mail, "outbox", None)
        mail.outbox = []
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                # Apps load in INSTALLED_APPS order, so core and accounts come before the others.
                for config in registry.demo_apps():
                    self.stdout.write(self.style.MIGRATE_HEADING(f"{config.verbose_name}"))
                    buffer = io.StringIO()
                    with transaction.atomic():
                        config.demo_load(OutputWrapper(buffer))
                    for line in buffer.getvalue().splitlines():
                        if not _ACCOUNT_LINE.search(line):
                            self.stdout.write(line)
            return len(mail.outbox)
        finally:
            if previous is None:
                del mail.outbox
            else:
                mail.outbox = previous

    def _accounts(self):
        """One table of the demo logins with each role's Chinese name."""
        from apps.accounts.demo import DEMO_PASSWORD, _on_real_site
        from apps.accounts.models import User

        users = User.objects.filter(email__endswith="@example.com").prefetch_related("groups").order_by("pk")
        if _on_real_site():
            self.stdout.write("演示账号（正式站点：随机密码见上文）：")
        else:
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = []
        for user in users:
            roles = [str(registry.role_label(group.name)) for group in user.groups.all()]
            if user.is_superuser:
                roles.insert(0, "超级管理员")
            rows.append((user.username, user.real_name or "", "、".join(roles) or "职工"))
        width = max((len(username) for username, _name, _roles in rows), default=8)
        for username, name, roles in rows:
            self.stdout.write(f"  {username:<{width}}  {name:<8}  {roles}")
