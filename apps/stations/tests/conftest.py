import pytest
from django.contrib.auth.models import Group

from apps.accounts.services import role_permissions_sync
from apps.accounts.tests.factories import UserFactory

from .factories import AmenityFactory, StationFactory

STATION_KEEPER = "station_keeper"


@pytest.fixture
def roles(db):
    """Role groups with the permissions the apps declare (as after a real migrate)."""
    role_permissions_sync()
    return Group.objects.all()


@pytest.fixture
def keeper(roles):
    from apps.accounts.services import user_role_add

    user = UserFactory(username="keeper1", real_name="陈站长")
    user_role_add(user=user, role=STATION_KEEPER)
    return user


@pytest.fixture
def staff(roles):
    return UserFactory(username="staffer", is_staff=True, is_superuser=True)


@pytest.fixture
def worker(db):
    return UserFactory(username="worker1", real_name="刘师傅")


@pytest.fixture
def microwave(db):
    return AmenityFactory(code="hot-meal", name="热饭", equipment="微波炉", icon="🍱", sort_order=0)


@pytest.fixture
def water(db):
    return AmenityFactory(code="water", name="饮水", equipment="饮水机", icon="🚰", sort_order=1)


@pytest.fixture
def station(microwave, water, keeper):
    return StationFactory(name="沧浪公园驿站", amenities=[microwave, water], keepers=[keeper])
