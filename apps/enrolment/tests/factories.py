import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.core.models import Town
from apps.enrolment.models import Occasion, Roster


class OwnerFactory(factory.django.DjangoModelFactory):
    """Any model can own a roster; tests use a town (the engine never looks inside its owner)."""

    class Meta:
        model = Town

    name = factory.Sequence(lambda n: f"测试镇{n}")


class RosterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roster
        exclude = ("owner_obj",)

    owner_obj = factory.SubFactory(OwnerFactory)
    owner_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.owner_obj))
    owner_id = factory.LazyAttribute(lambda o: o.owner_obj.pk)
    title = factory.Sequence(lambda n: f"测试活动{n}")
    url = "/activities/1/"
    places = 2


class OccasionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occasion

    roster = factory.SubFactory(RosterFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    where = "明己书院"
