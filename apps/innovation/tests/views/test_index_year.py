"""Journey 18: /innovation/ opens on a year with results; a year without any says so in words."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import ProjectFactory, campaign_factory

pytestmark = pytest.mark.django_db


def test_the_index_opens_on_a_year_with_results(client, category):
    year = timezone.localdate().year
    last = campaign_factory(year=year - 1, categories=[category])
    ProjectFactory.create_batch(3, campaign=last, status="screened")
    campaign_factory(year=year, categories=[category])  # this year's, nothing declared yet
    page = client.get(reverse("innovation:index")).content.decode()
    assert page.index(f'data-testid="year-{year - 1}"') < page.index(f'data-testid="year-{year}"')
    this_year = page[page.index(f'data-testid="year-{year}"') :]
    this_year = this_year[: this_year.index("</article>")]
    assert 'data-testid="year-empty"' in this_year and 'data-testid="declared"' not in this_year
