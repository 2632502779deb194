"""Replay (or run) a programme's allocation: ``manage.py benefits_draw PROGRAMME_ID --replay``
re-computes the draw from its published seed and prints the same list (exit 1 if it differs)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apps.benefits.models import Programme


class Command(BaseCommand):
    help = "Run or replay a benefits programme's draw (through the enrolment engine)."

    def add_arguments(self, parser):
        parser.add_argument("programme_id", type=int)
        parser.add_argument("--replay", action="store_true")

    def handle(self, programme_id, replay, **options):
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None or programme.roster_id is None:
            raise CommandError(f"no programme {programme_id}")
        self.stdout.write(f"programme {programme.pk} · {programme.name}")
        seed = "" if replay else programme.pending_seed
        args = [programme.roster_id, "--replay"] if replay else [programme.roster_id, "--seed", seed]
        call_command("enrolment_draw", *args, stdout=self.stdout)
