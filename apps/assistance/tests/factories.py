"""Factories of the assistance tests: a union with its staff, a worker, and requests at any state."""

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.assistance import services
from apps.assistance.models import HelpRequest
from apps.core.models import Organization, Town, UnionStaff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"帮扶{n}镇")


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"帮扶测试工会{n}")
    kind = Organization.Kind.UNION
    union_level = Organization.UnionLevel.TOWN
    town = factory.SubFactory(TownFactory)


def pdf(name="paper.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def staff_of(union, **fields):
    user = UserFactory(**fields)
    UnionStaff.objects.create(union=union, user=user)
    return user


def draft(worker, town, **fields):
    values = {
        "applicant_name": "刘建国",
        "phone": "13905230000",
        "town": town,
        "household_size": 4,
        "household_members": "妻子、儿子、女儿",
        "income_band": "below_dibao",
        "reason": "schooling",
        "story": "女儿考上大学，学费凑不齐。",
        "asked_help": "schooling",
    }
    values.update(fields)
    return services.draft_save(user=worker, filer="self", **values)


def submitted(worker, town, **fields):
    hr = draft(worker, town, **fields)
    return services.request_submit(
        user=worker, request=hr, consent=True, financial_consent=True, health_consent=bool(hr.needs_health_consent)
    )


def advance(hr, *, caseworker, officer, to: str, today=None):
    """Carry a submitted request through the real services up to state ``to``."""
    order = ["accepted", "visited", "checked", "publicity", "decided", "helped"]
    today = today or timezone.localdate()
    for state in order[: order.index(to) + 1]:
        if state == "accepted":
            hr = services.screen(request=hr, by=caseworker, accept=True)
        elif state == "visited":
            services.visit_record(
                request=hr,
                by=caseworker,
                visited_on=today,
                visitor_one="李干事",
                visitor_two="钱干事",
                checklist=["housing", "members"],
                notes="情况属实。",
                application=pdf("a.pdf"),
                authorisation=pdf("b.pdf"),
            )
        elif state == "checked":
            services.check_record(request=hr, by=officer, result="match")
        elif state == "publicity":
            services.publicity_open(request=hr, by=officer, band="deep", help_kind="schooling", today=today)
        elif state == "decided":
            hr.refresh_from_db()
            services.decide(
                request=hr,
                by=officer,
                band="deep",
                help_kind="schooling",
                amount=Decimal("3000"),
                today=hr.publicity_until + datetime.timedelta(days=1),
            )
        elif state == "helped":
            services.help_record(request=hr, by=officer, date=today, kind="school", amount=Decimal("3000"))
        hr = HelpRequest.objects.get(pk=hr.pk)
    return hr
