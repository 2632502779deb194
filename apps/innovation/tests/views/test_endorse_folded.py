"""Item 20: the endorse page keeps the return form folded until asked for."""

import pytest
from django.urls import reverse

from apps.innovation.models import Project

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_return_form_is_folded(client, campaign, worker, union, employer):
    ProjectFactory(campaign=campaign, owner=worker, employer=employer, status=Project.Status.SUBMITTED)
    client.force_login(union)
    body = client.get(reverse("innovation:endorse_queue")).content.decode()
    assert '<details class="innov-return" data-testid="return-form">' in body
