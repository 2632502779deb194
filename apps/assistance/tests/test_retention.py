"""The retention period: closed and refused cases are anonymised after ASSISTANCE_RETENTION_DAYS;
the case and its ledger stay for the figures. The queue's queries do not grow with the cases."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.assistance import services
from apps.assistance.models import Document, HelpRequest, LedgerEntry

from .factories import advance, submitted

pytestmark = pytest.mark.django_db


def test_closed_cases_are_anonymised_after_the_retention_period(worker, town, union, caseworker, officer, settings):
    settings.ASSISTANCE_RETENTION_DAYS = 30
    hr = advance(submitted(worker, town), caseworker=caseworker, officer=officer, to="helped")
    services.close(request=hr, by=officer, reason="已脱困")
    refused = services.refuse(request=submitted(UserFactory(), town), by=officer, reason="收入超标")
    assert services.records_purge_expired() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert services.records_purge_expired(now=later) == 2
    hr.refresh_from_db()
    assert hr.applicant_name == "（已匿名）" and hr.phone == "" and hr.story == "" and hr.household_members == ""
    assert not Document.objects.filter(request__in=[hr, refused]).exists()
    assert hr.visit.notes == ""
    assert LedgerEntry.objects.filter(request=hr).count() == 1 and hr.band == "deep"
    assert services.records_purge_expired(now=later) == 0  # once


def test_open_cases_are_never_purged(worker, town, union, settings):
    settings.ASSISTANCE_RETENTION_DAYS = 1
    hr = submitted(worker, town)
    assert services.records_purge_expired(now=timezone.now() + datetime.timedelta(days=400)) == 0
    assert HelpRequest.objects.get(pk=hr.pk).applicant_name == "刘建国"


def test_the_queue_reads_a_fixed_number_of_queries(
    client, town, union, caseworker, officer, django_assert_max_num_queries
):
    for n in range(6):
        submitted(UserFactory(town=town), town, applicant_name=f"王{n}")
    client.force_login(officer)
    client.get(reverse("assistance:queue"))
    with django_assert_max_num_queries(14):
        body = client.get(reverse("assistance:queue")).content.decode()
    assert body.count("已提交，待初审") >= 6
