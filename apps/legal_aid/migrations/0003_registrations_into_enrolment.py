"""Legal event registrations move into the enrolment engine: one roster per event with one
occasion at the event's time; each registration becomes an enrolment in the same state, and a
check-in becomes an attendance. Then the legal app's own registration table goes."""

import datetime

from django.db import migrations

LENGTH = datetime.timedelta(hours=2)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LegalEvent = apps.get_model("legal_aid", "LegalEvent")
    Registration = apps.get_model("legal_aid", "Registration")
    Roster = apps.get_model("enrolment", "Roster")
    Occasion = apps.get_model("enrolment", "Occasion")
    Enrolment = apps.get_model("enrolment", "Enrolment")
    Attendance = apps.get_model("enrolment", "Attendance")
    event_ids = Registration.objects.values_list("event_id", flat=True).distinct()
    if not event_ids:
        return
    owner_type, _ = ContentType.objects.get_or_create(app_label="legal_aid", model="legalevent")
    for event in LegalEvent.objects.filter(pk__in=list(event_ids)).order_by("pk"):
        rows = list(Registration.objects.filter(event=event).order_by("created_at", "pk"))
        taken = sum(1 for r in rows if r.status == "confirmed")
        waiting = sum(1 for r in rows if r.status == "waiting")
        title = f"第{event.series_number}期 {event.title}" if event.series_number else event.title
        roster, _ = Roster.objects.get_or_create(
            owner_type=owner_type,
            owner_id=event.pk,
            defaults={
                "title": title[:200],
                "url": f"/legal/events/{event.pk}/",
                "places": max(event.capacity, taken),
                "closes_at": event.starts_at,
                "is_open": event.status == "open" and event.capacity > 0,
            },
        )
        occasion = Occasion.objects.create(
            roster=roster,
            starts_at=event.starts_at,
            ends_at=event.ends_at or event.starts_at + LENGTH,
            where=event.place[:200],
        )
        for row in rows:
            attended = row.status == "confirmed" and row.checked_in_at is not None
            state = {"confirmed": "attended" if attended else "confirmed", "waiting": "waiting"}.get(
                row.status, "cancelled"
            )
            enrolment = Enrolment.objects.create(
                roster=roster,
                person_id=row.user_id,
                state=state,
                channel="self",
                confirmed_at=row.created_at if row.status == "confirmed" else None,
                queued_at=row.created_at if row.status == "waiting" else None,
                cancelled_at=row.updated_at if state == "cancelled" else None,
            )
            Enrolment.objects.filter(pk=enrolment.pk).update(created_at=row.created_at)
            if attended:
                attendance = Attendance.objects.create(occasion=occasion, enrolment=enrolment, method="phone")
                Attendance.objects.filter(pk=attendance.pk).update(created_at=row.checked_in_at)
        Roster.objects.filter(pk=roster.pk).update(taken=taken, waiting=waiting)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("enrolment", "0002_nominationquota"),
        ("legal_aid", "0002_audit_to_core"),
    ]

    operations = [
        # No way back: the engine's states (offers, no-shows) have no counterpart in the old table.
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="Registration"),
    ]
