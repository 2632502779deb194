"""Journey 16: an open event's page says what to bring."""

import pytest
from django.urls import reverse

from apps.legal_aid.models import LegalEvent

pytestmark = pytest.mark.django_db


def test_an_open_court_class_says_what_to_bring(client, station):
    from ..factories import LegalEventFactory

    event = LegalEventFactory(kind=LegalEvent.Kind.COURT_CLASS, status=LegalEvent.Status.OPEN)
    body = client.get(reverse("legal_aid:event", args=[event.pk])).content.decode()
    assert 'data-testid="what-to-bring"' in body and "身份证" in body
