"""The daily reminders: each sent once, reviews due and overdue."""

import datetime

import pytest
from django.utils import timezone

from apps.innovation import services
from apps.reminders.models import Notification

from ..factories import ProjectFactory, TechProblemFactory, campaign_factory

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once(officer, union, category, employer, worker):
    today = timezone.localdate()
    campaign = campaign_factory(categories=[category], closes=today + datetime.timedelta(days=2))
    ProjectFactory(campaign=campaign, owner=worker, employer=employer)
    TechProblemFactory(posted_on=today - datetime.timedelta(days=31))
    from apps.innovation.models import SpecialContract

    SpecialContract.objects.create(
        enterprise=employer, signed_on=today.replace(year=today.year - 1) + datetime.timedelta(days=30), term_years=1
    )
    first = services.reminders_send(today=today)
    assert first["entries_open"] >= 1 and first["entries_closing"] == 1
    assert first["problem"] == 1 and first["contract"] >= 2
    again = services.reminders_send(today=today)
    assert sum(again.values()) == 0
    assert Notification.objects.filter(user=worker, kind="innovation.entries").count() == 1


def test_review_due_reminders_in_3_and_1_days_and_overdue(project_in_review, officer):
    campaign = project_in_review.campaign
    today = timezone.localdate()
    campaign.review_due = today + datetime.timedelta(days=3)
    campaign.save()
    assert services.reminders_send(today=today)["review_due"] == 3
    assert services.reminders_send(today=today + datetime.timedelta(days=2))["review_due"] == 3
    assert services.reminders_send(today=today + datetime.timedelta(days=2))["review_due"] == 0
    assert services.reminders_send(today=today + datetime.timedelta(days=4))["overdue"] >= 1
