import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory  # noqa: F401  (one factory per model: accounts owns it)
from apps.core.tests.factories import OrganizationFactory, TownFactory  # noqa: F401
from apps.legal_aid.models import (
    Consultation,
    DisputeCase,
    DutyShift,
    LawyerProfile,
    LedgerEntry,
    LegalEvent,
    LegalStation,
    StationMember,
    Topic,
)


class LegalStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalStation

    code = factory.Sequence(lambda n: f"ls-{n:05d}")
    name = factory.Sequence(lambda n: f"测试法律服务站{n}")
    kind = LegalStation.Kind.GRASSROOTS
    town = factory.SubFactory(TownFactory)
    address = "测试路1号"
    latitude = Decimal("32.930000")
    longitude = Decimal("119.840000")
    status = LegalStation.Status.OPEN
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
    services = ["advice", "mediation"]


class StationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationMember

    station = factory.SubFactory(LegalStationFactory)
    user = factory.SubFactory(UserFactory)
    role = StationMember.Role.HEAD


class LawyerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LawyerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    firm = factory.SubFactory(OrganizationFactory)

    @factory.post_generation
    def stations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.stations.set(extracted)

    @factory.post_generation
    def advised(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.advised_employers.set(extracted)


class DutyShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyShift

    station = factory.SubFactory(LegalStationFactory)
    lawyer = factory.SubFactory(LawyerProfileFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
    start = datetime.time(9, 0)
    end = datetime.time(11, 30)
    slots = 2


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    worker = factory.SubFactory(UserFactory)
    contact_name = "刘师傅"
    contact_phone = "13800000000"
    station = factory.SubFactory(LegalStationFactory)
    topic = Topic.WAGES
    question = "老板拖欠工资"
    channel = Consultation.Channel.WRITTEN
    consent_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))


class DisputeCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisputeCase

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda c: f"XHGH-TJ-{c.year}-{c.sequence:04d}")
    station = factory.SubFactory(LegalStationFactory)
    respondent_name = "某公司"
    topic = Topic.WAGES
    claim = "支付工资"
    amount_claimed = Decimal("1000")
    arose_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=40))
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    station = factory.SubFactory(LegalStationFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    channel = LedgerEntry.Channel.VISIT
    topic = Topic.WAGES
    people = 10


class LegalEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalEvent

    kind = LegalEvent.Kind.PUBLICITY
    title = factory.Sequence(lambda n: f"法治宣传{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "职工服务中心"
    capacity = 2


def submit_consultation(worker, station, **extra):
    """A consultation submitted through the service, with consent (``extra`` overrides any field)."""
    from apps.legal_aid import services

    data = {
        "worker": worker,
        "station": station,
        "topic": "wages",
        "question": "老板拖欠工资",
        "channel": "written",
        "consent": True,
        "contact_name": "刘师傅",
        "contact_phone": "13800000000",
    }
    data.update(extra)
    return services.consultation_submit(**data)


_GROW = itertools.count()


def grow(station, lawyer, n: int) -> None:
    """n more stations, shifts this week, consultations, cases and events."""
    today = timezone.localdate()
    for _n in range(n):
        i = next(_GROW)
        other = LegalStationFactory()
        StationMemberFactory(station=other)
        lawyer.stations.add(other)
        DutyShiftFactory(
            station=other, lawyer=LawyerProfileFactory(stations=[other]), date=today + datetime.timedelta(days=i % 6)
        )
        DutyShiftFactory(
            station=station,
            lawyer=lawyer,
            date=today + datetime.timedelta(days=1 + i % 6),
            start=datetime.time(7 + i // 6 % 16),
            end=datetime.time(7 + i // 6 % 16, 50),
        )
        ConsultationFactory(station=other, lawyer=lawyer, status="triaged")
        ConsultationFactory(station=station, due_at=timezone.now() - datetime.timedelta(hours=i + 1))
        case = DisputeCaseFactory(station=other)
        case.mediators.add(UserFactory())
        LegalEventFactory()
        LegalEventFactory(status="held", starts_at=timezone.now() - datetime.timedelta(days=i + 1), head_count=30)
