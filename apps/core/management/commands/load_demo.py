from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core import registry


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
        # Apps load in INSTALLED_APPS order, so core and accounts come before the others.
        for config in registry.demo_apps():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{config.verbose_name}"))
            with transaction.atomic():
                config.demo_load(self.stdout)
        # This process answers "demo data here" at once; web workers see the generation move
        # when these writes commit (apps/core/registry.py, demo_present).
        registry.demo_changed()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
