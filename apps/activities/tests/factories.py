import datetime

import factory
from django.utils import timezone

from apps.activities import services
from apps.activities.models import Activity, Kind
from apps.core.models import Organization


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"兴化市总工会测试部{n}")
    kind = Organization.Kind.UNION


def make_activity(
    *,
    kind=Kind.READING,
    places=30,
    sessions=1,
    start=None,
    publish=True,
    organiser=None,
    roster_fields=None,
    **fields,
) -> Activity:
    """An activity with its roster and ``sessions`` sessions a week apart (published by default)."""
    start = start or (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    activity = Activity(
        kind=kind,
        title=fields.pop("title", "读书分享会"),
        organiser=organiser or DepartmentFactory(),
        place_name=fields.pop("place_name", "明己书院"),
        **fields,
    )
    services.activity_save(activity=activity, roster_fields={"places": places, **(roster_fields or {})})
    for index in range(sessions):
        begins = start + datetime.timedelta(days=7 * index)
        services.session_add(activity=activity, starts_at=begins, ends_at=begins + datetime.timedelta(hours=2))
    if publish:
        services.activity_publish(activity=activity)
    activity.refresh_from_db()
    return activity
