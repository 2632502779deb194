"""Run or re-run a roster's draw.

``manage.py enrolment_draw ROSTER_ID`` draws a roster whose window has closed (a new seed, or
``--seed``). ``--replay`` re-computes a stored draw from its published seed and prints the same
list; it exits 1 if the list differs from the stored draw numbers.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.enrolment.models import Enrolment, Roster
from apps.enrolment.services import draw_replay, draw_run


class Command(BaseCommand):
    help = "Draw a roster (or replay a stored draw from its seed and check it gives the same list)."

    def add_arguments(self, parser):
        parser.add_argument("roster_id", type=int)
        parser.add_argument("--seed", default="")
        parser.add_argument("--replay", action="store_true")

    def handle(self, roster_id, seed, replay, **options):
        roster = Roster.objects.filter(pk=roster_id).first()
        if roster is None:
            raise CommandError(f"no roster {roster_id}")
        if replay:
            if not roster.drawn_at:
                raise CommandError("this roster has not been drawn yet")
            order, same = draw_replay(roster=roster)
        else:
            try:
                order = draw_run(roster=roster, seed=seed)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            roster.refresh_from_db()
            same = True
        names = dict(Enrolment.objects.filter(pk__in=order).values_list("pk", "person__username"))
        self.stdout.write(
            f"roster {roster.pk} · seed {roster.draw_seed} · places {roster.places} · entries {len(order)}"
        )
        for position, enrolment_id in enumerate(order, start=1):
            self.stdout.write(f"{position}\t{enrolment_id}\t{names.get(enrolment_id, '')}")
        if not same:
            raise CommandError("the replay differs from the stored draw")
        self.stdout.write(self.style.SUCCESS("same list" if replay else "drawn"))
