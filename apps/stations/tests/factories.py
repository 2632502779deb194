import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps.core.tests.factories import OrganizationFactory, TownFactory
from apps.stations.models import Amenity, Inspection, OpeningHours, Station, Visit


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amenity
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"amenity-{n}")
    name = factory.Sequence(lambda n: f"设施{n}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试驿站{n}")
    kind = Station.Kind.OUTDOOR_24H
    town = factory.SubFactory(TownFactory)
    operator = factory.SubFactory(OrganizationFactory)
    address = "测试路1号"
    latitude = Decimal("32.930000")
    longitude = Decimal("119.840000")
    is_24h = True
    status = Station.Status.OPEN
    # Open for a while before today, so it counts as open whatever the calendar says.
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
    # A closed station says since when (required with the status).
    closed_on = factory.LazyAttribute(
        lambda s: timezone.localdate() - datetime.timedelta(days=1) if s.status == Station.Status.CLOSED else None
    )

    @factory.post_generation
    def amenities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.amenities.set(extracted)

    @factory.post_generation
    def keepers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.keepers.set(extracted)


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    station = factory.SubFactory(StationFactory, is_24h=False)
    weekday = 0
    opens = datetime.time(8, 30)
    closes = datetime.time(17, 30)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    station = factory.SubFactory(StationFactory)
    # A recent inspection: its 30-day due date is still ahead of today.
    inspected_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    next_due = factory.LazyAttribute(lambda i: i.inspected_on + datetime.timedelta(days=30))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    station = factory.SubFactory(StationFactory)
    visitor = factory.Sequence(lambda n: f"afactory{n}")
    occupation = Visit.Occupation.SANITATION
    day = factory.LazyFunction(timezone.localdate)
    hour = factory.LazyAttribute(lambda v: datetime.datetime.combine(v.day, datetime.time(10), tzinfo=datetime.UTC))
