import factory

from apps.core.models import Organization, Town


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试镇{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试单位{n}")
