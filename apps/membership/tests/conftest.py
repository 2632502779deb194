import pytest

from apps.accounts.models import Occupation
from apps.core.models import Organization

from .factories import EmployerFactory, TownFactory, UnionFactory


@pytest.fixture
def hierarchy(db):
    """A small city: the city union, 戴南镇's union, a courier industry union and one enterprise union."""
    town = TownFactory(name="戴南镇")
    other_town = TownFactory(name="张郭镇")
    city = UnionFactory(name="兴化市总工会", union_level=Organization.UnionLevel.CITY)
    town_union = UnionFactory(name="戴南镇总工会", union_level=Organization.UnionLevel.TOWN, town=town, parent=city)
    courier = UnionFactory(
        name="兴化市快递行业工会",
        union_level=Organization.UnionLevel.INDUSTRY,
        industry=Occupation.COURIER,
        parent=city,
    )
    chain_union = UnionFactory(name="东华链条兴化有限公司工会", parent=town_union, town=town)
    chain = EmployerFactory(name="东华链条兴化有限公司", town=town, covered_by=chain_union)
    bare = EmployerFactory(name="顺达物流有限公司", town=town)
    return type(
        "Hierarchy",
        (),
        {
            "town": town,
            "other_town": other_town,
            "city": city,
            "town_union": town_union,
            "courier": courier,
            "chain_union": chain_union,
            "chain": chain,
            "bare": bare,
        },
    )
