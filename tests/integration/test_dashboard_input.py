import pytest
from django.urls import reverse

from apps.tenthings.tests.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, user_with_role):
    client.force_login(user_with_role("leader"))
    return client


@pytest.mark.parametrize("name", ["index", "export"])
@pytest.mark.parametrize(
    "year, status",
    [
        ("²", 200),  # not a year: the current plan
        ("١٢", 200),
        ("2024x", 200),
        ("-1", 200),
        ("99999999999999999999", 200),  # out of range: this year (with or without a plan)
        ("2031", 200),  # a year with no plan: every app's figures, no targets
    ],
)
def test_a_hostile_year_never_answers_500(leader_client, name, year, status):
    make_plan(year=2024, items=1, indicators=1, reports=1)
    response = leader_client.get(reverse(f"dashboard:{name}"), {"year": year})
    assert response.status_code == status


def test_a_name_that_looks_like_a_formula_stays_text_in_the_export(leader_client):
    import io

    from openpyxl import load_workbook

    plan = make_plan(year=2024, items=1, indicators=1, reports=1)
    responsible = plan.items.get().responsible
    responsible.real_name = '=HYPERLINK("http://ev.il","x")'
    responsible.save()
    response = leader_client.get(reverse("dashboard:export"), {"year": "2024"})
    ws = load_workbook(io.BytesIO(response.content))["事项进度"]
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
