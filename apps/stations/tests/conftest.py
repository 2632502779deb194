import pytest

from apps.accounts.tests.factories import UserFactory

from .factories import AmenityFactory, StationFactory

STATION_KEEPER = "station_keeper"


@pytest.fixture
def keeper(user_with_role):
    return user_with_role(STATION_KEEPER, username="keeper1", real_name="陈站长")


@pytest.fixture
def staff(db):
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
