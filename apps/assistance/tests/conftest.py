import pytest

from apps.accounts.tests.factories import UserFactory

from .factories import TownFactory, UnionFactory, staff_of


@pytest.fixture
def town(db):
    return TownFactory(name="戴南镇")


@pytest.fixture
def union(town):
    return UnionFactory(name="戴南镇总工会", town=town)


@pytest.fixture
def worker(town):
    return UserFactory(username="kunnan", real_name="刘建国", town=town)


@pytest.fixture
def stranger(db):
    return UserFactory(username="passerby", real_name="路人")


@pytest.fixture
def caseworker(union):
    return staff_of(union, username="caseworker", real_name="钱干事")


@pytest.fixture
def other_caseworker(db):
    other = UnionFactory(name="别的镇总工会")
    return staff_of(other, username="othercw", real_name="孙干事")


@pytest.fixture
def officer(user_with_role):
    return user_with_role("assistance_officer", username="helpofficer", real_name="吴主任")


@pytest.fixture
def leader(user_with_role):
    return user_with_role("leader", username="leader1", real_name="领导")
