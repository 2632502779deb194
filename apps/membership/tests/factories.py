import factory
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.accounts.tests.factories import UserFactory
from apps.core.models import Organization, Town, UnionStaff

__all__ = ["EmployerFactory", "TownFactory", "UnionFactory", "UserFactory", "WorkerFactory", "staff_of", "submit"]


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}镇")


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试工会{n}")
    kind = Organization.Kind.UNION
    union_level = Organization.UnionLevel.GRASSROOTS


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = Organization.Kind.EMPLOYER


class WorkerFactory(UserFactory):
    """A worker who proved their mobile number (the only kind who may apply)."""

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    phone_verified = True


def staff_of(union, user_with_role, **fields):
    """A person holding union_staff for this one union."""
    user = user_with_role("union_staff", **fields)
    UnionStaff.objects.create(union=union, user=user)
    return user


def submit(person, *, town, occupation=Occupation.FACTORY, employer=None, employer_name="某网点", real_name="刘小明"):
    """A complete application as the join form sends it."""
    from apps.membership.services import application_submit

    return application_submit(
        person=person,
        real_name=real_name,
        employer=employer,
        employer_name="" if employer is not None else employer_name,
        occupation=occupation,
        town=town,
        consent=True,
    )


def today():
    return timezone.localdate()
