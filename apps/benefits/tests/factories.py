import datetime

import factory
from django.utils import timezone

from apps.benefits import services
from apps.benefits.models import Kind, Programme, Rule
from apps.core.models import Organization


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"兴化市人民医院{n}")
    kind = Organization.Kind.SOCIAL


def make_programme(
    *,
    kind=Kind.SCREENING,
    places=10,
    allocation="draw",
    rules=(),
    groups=(),
    opens=None,
    closes=None,
    channel=Programme.Channel.INDIVIDUAL,
    needs_appointment=True,
    published=True,
    hold_hours=48,
    **fields,
) -> Programme:
    """A published programme whose window is open now (closes in a day unless ``closes``)."""
    now = timezone.now()
    today = timezone.localdate()
    programme = Programme(
        year=fields.pop("year", today.year),
        kind=kind,
        name=fields.pop("name", "女职工“两癌”筛查"),
        organiser=OrgFactory(name="兴化市总工会女职工部", kind=Organization.Kind.UNION),
        channel=channel,
        needs_appointment=needs_appointment,
        service_starts=fields.pop("service_starts", today),
        service_ends=fields.pop("service_ends", today + datetime.timedelta(days=30)),
        published=published,
        **fields,
    )
    services.programme_save(
        programme=programme,
        roster_fields={
            "places": places,
            "opens_at": opens or now - datetime.timedelta(days=1),
            "closes_at": closes or now + datetime.timedelta(days=1),
            "allocation": allocation,
            "hold_hours": hold_hours,
            "waiting_list": True,
        },
    )
    for order, (test, value, message) in enumerate(rules):
        Rule.objects.create(programme=programme, test=test, value=value, message=message, order=order)
    for order, (name, test, value, share) in enumerate(groups):
        Rule.objects.create(
            programme=programme,
            purpose=Rule.Purpose.PRIORITY,
            name=name,
            test=test,
            value=value,
            share=share,
            order=order,
        )
    services.setup.priority_groups_sync(programme)
    programme.refresh_from_db()
    return programme


def close_window(programme: Programme) -> None:
    """Move the window into the past (the draw runs after it closes)."""
    from apps.enrolment.models import Roster

    now = timezone.now()
    Roster.objects.filter(pk=programme.roster_id).update(
        opens_at=now - datetime.timedelta(days=3), closes_at=now - datetime.timedelta(minutes=1)
    )
    programme.roster.refresh_from_db()
