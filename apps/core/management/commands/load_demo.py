from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        # Apps load in INSTALLED_APPS order, so core and accounts come before the others.
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{config.verbose_name}"))
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
