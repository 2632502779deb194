"""Demo programmes from the seed, consistent with the ten-things demo (items 5 and 8).

2024 (a closed year: the linked indicators must show what the typed reports showed): 健康体检
600, 职业病体检 200 (特种行业), 意外伤害保险 200 (货车司机、快递员等新业态劳动者, policies issued),
疗休养 172 (not fewer than 160 一线职工) and "两癌"筛查 436 of 500 (64 moved to January 2025, as the
seed says); 2023: 健康体检 500 and "两癌"筛查 400. The 2024 draws are real draws of the published
algorithm, so ``manage.py benefits_draw ID --replay`` gives the same list. This year: programmes
open for applications. Two hospitals, an insurer and a resort (demo names). Every record is marked
demo; the invented people have no password. Idempotent: programmes are keyed by (year, kind).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.core.models import Organization, Town
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment, PriorityGroup, Roster, Satisfaction

from . import services
from .models import Application, Kind, Programme, ProviderStaff, Rule, Slot

FUWU = "兴化市总工会职工服务中心"
NVZHIGONG = "兴化市总工会女职工部"
HOSPITAL_1 = "兴化市人民医院（演示）"
HOSPITAL_2 = "兴化市中医院（演示）"
INSURER = "兴化人寿保险支公司（演示）"
RESORT = "千垛景区职工疗休养基地（演示）"
State = Enrolment.State
SPECIAL = "construction,factory"  # 特种行业 in the seed's sense: on the profile's occupation
FRONT_LINE = "factory,sanitation,construction"

# (year, kind, name, organiser, places, people range, delivered, providers, rules, groups, channel, proof)
PAST = [
    (
        2023,
        Kind.CHECKUP,
        "2023年职工健康体检",
        FUWU,
        500,
        (600, 1100),
        500,
        (HOSPITAL_1, HOSPITAL_2),
        [],
        [],
        "individual",
    ),
    (
        2023,
        Kind.SCREENING,
        "2023年女职工“两癌”筛查",
        NVZHIGONG,
        400,
        (0, 400),
        400,
        (HOSPITAL_1, HOSPITAL_2),
        [("female", "", "仅限女职工")],
        [],
        "individual",
    ),
    (
        2024,
        Kind.CHECKUP,
        "2024年职工健康体检",
        FUWU,
        600,
        (0, 600),
        600,
        (HOSPITAL_1, HOSPITAL_2),
        [("not_served", "2", "近2年内已参加过健康体检")],
        [("一线职工", "occupation", FRONT_LINE)],
        "both",
    ),
    (
        2024,
        Kind.OCCUPATIONAL,
        "2024年特种行业职工职业病体检",
        FUWU,
        200,
        (600, 800),
        200,
        (HOSPITAL_2,),
        [("occupation", SPECIAL, "仅限特种行业（建筑、制造企业一线）职工")],
        [],
        "nominated",
    ),
    (
        2024,
        Kind.INSURANCE,
        "2024年新就业形态劳动者意外伤害保险",
        FUWU,
        200,
        (800, 1000),
        200,
        (INSURER,),
        [("new_form", "", "仅限货车司机、快递员等新就业形态劳动者")],
        [],
        "individual",
    ),
    (
        2024,
        Kind.RETREAT,
        "2024年一线职工疗休养",
        FUWU,
        180,
        (1000, 1180),
        172,
        (RESORT,),
        [("occupation", FRONT_LINE, "仅限一线职工")],
        [],
        "both",
    ),
    (
        2024,
        Kind.SCREENING,
        "2024年女职工“两癌”筛查",
        NVZHIGONG,
        500,
        (40, 600),
        436,
        (HOSPITAL_1, HOSPITAL_2),
        [("female", "", "仅限女职工"), ("age", "35-64", "")],
        [("一线女职工", "occupation", FRONT_LINE)],
        "individual",
    ),
]
PEOPLE = 1200
WOMEN = 600


def _org(name, kind=Organization.Kind.SOCIAL):
    org, _ = Organization.objects.get_or_create(name=name, defaults={"kind": kind, "is_demo": True})
    return org


def _people(stdout):
    """1,200 invented workers without passwords: 0–599 women, then 特种行业, new-form and 一线 men."""
    User = get_user_model()
    have = set(User.objects.filter(username__startswith="bf-demo-").values_list("username", flat=True))
    towns = list(Town.objects.order_by("sort_order", "pk"))
    new = []
    for n in range(PEOPLE):
        username = f"bf-demo-{n:04d}"
        if username in have:
            continue
        if n < WOMEN:
            sex, occupation = "female", ("factory", "sanitation", "public_service", "other")[n % 4]
        elif n < 800:
            sex, occupation = "male", ("construction", "factory")[n % 2]
        elif n < 1000:
            sex, occupation = "male", ("truck", "courier", "delivery")[n % 3]
        else:
            sex, occupation = "male", ("factory", "sanitation", "construction")[n % 3]
        new.append(
            User(
                username=username,
                real_name=f"职工{n:04d}（演示）",
                password="!",
                sex=sex,
                occupation=occupation,
                birth_date=datetime.date(1966 + n % 24, 1 + n % 12, 1 + n % 27),
                town=towns[n % len(towns)] if towns else None,
            )
        )
    User.objects.bulk_create(new, batch_size=500)
    return dict(User.objects.filter(username__startswith="bf-demo-").values_list("username", "pk"))


def _programme(year, kind, name, organiser, places, providers, rules, groups, channel, *, opens, closes, starts, ends):
    programme = Programme.objects.filter(year=year, kind=kind).first() or Programme(year=year, kind=kind)
    programme.name, programme.is_demo, programme.published = name, True, True
    programme.organiser = _org(organiser, Organization.Kind.UNION)
    programme.channel = channel
    programme.needs_appointment = kind in (Kind.CHECKUP, Kind.OCCUPATIONAL, Kind.SCREENING)
    programme.proof = {Kind.INSURANCE: Programme.Proof.POLICY, Kind.RETREAT: Programme.Proof.TRIP}.get(
        kind, Programme.Proof.ATTENDED
    )
    programme.service_starts, programme.service_ends = starts, ends
    programme.description = {
        Kind.CHECKUP: "市总工会为职工赠送健康体检，由定点医院按预约时间接待。",
        Kind.OCCUPATIONAL: "为特种行业职工做好职业病体检，由基层工会推荐或本人申请。",
        Kind.SCREENING: "为女职工提供“两癌”（宫颈癌、乳腺癌）筛查服务，门户只记录是否完成，不保存检查结果。",
        Kind.INSURANCE: "为货车司机、快递员等新就业形态劳动者赠送意外伤害保险，保单由承保公司出具。",
        Kind.RETREAT: "组织一线职工参加疗休养，由基层工会推荐或本人申请。",
    }[kind]
    services.programme_save(
        programme=programme,
        roster_fields={
            "places": places,
            "opens_at": opens,
            "closes_at": closes,
            "allocation": Roster.Allocation.DRAW,
            "hold_hours": 48,
            "waiting_list": True,
        },
    )
    for provider in providers:
        programme.providers.add(_org(provider))
    if not programme.rules.exists():
        for order, (test, value, message) in enumerate(rules):
            Rule.objects.create(programme=programme, test=test, value=value, message=message, order=order)
        for order, (group, test, value) in enumerate(groups):
            Rule.objects.create(
                programme=programme, purpose=Rule.Purpose.PRIORITY, name=group, test=test, value=value, order=order
            )
        services.setup.priority_groups_sync(programme)
    return programme


def _tz(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _fill_past(programme, people: list[int], delivered: int, providers, front_line: set[int]):
    """Applications, the real draw, deliveries (check-ins) and some satisfaction answers."""
    roster = programme.roster
    if Application.objects.filter(programme=programme).exists():
        return
    year = programme.year
    applied_at = _tz(datetime.date(year, 3, 1))
    group = PriorityGroup.objects.filter(roster=roster).order_by("order").first()
    channel_of = (
        (lambda i: Enrolment.Channel.NOMINATED)
        if programme.channel == "nominated"
        else (
            (lambda i: Enrolment.Channel.NOMINATED if i % 5 == 0 else Enrolment.Channel.SELF)
            if programme.channel == "both"
            else (lambda i: Enrolment.Channel.SELF)
        )
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                roster=roster,
                person_id=pk,
                channel=channel_of(i),
                state=State.APPLIED,
                priority_group=group if group and pk in front_line else None,
            )
            for i, pk in enumerate(people)
        ],
        batch_size=500,
    )
    if not enrolments[0].pk:
        enrolments = list(Enrolment.objects.filter(roster=roster).order_by("pk"))
    seed = f"demo-{year}-{programme.kind}"
    entries = [(e.pk, e.priority_group_id) for e in enrolments]
    groups = list(PriorityGroup.objects.filter(roster=roster).order_by("order", "pk").values_list("pk", "share"))
    order = engine.draw_order(entries, groups, seed, roster.places)
    drawn_at = _tz(datetime.date(year, 4, 1))
    number = {pk: n for n, pk in enumerate(order, start=1)}
    slots = []
    if programme.needs_appointment:
        provider_orgs = [_org(name) for name in providers]
        days = [datetime.date(year, month, 12) for month in range(4, 13)]
        per_slot = 40
        count = -(-min(roster.places, len(order)) // per_slot)
        slots = [
            Slot.objects.create(
                programme=programme,
                provider=provider_orgs[i % len(provider_orgs)],
                day=days[i % len(days)],
                starts=datetime.time(8),
                ends=datetime.time(11),
                places=per_slot,
            )
            for i in range(count)
        ]
    by_pk = {e.pk: e for e in enrolments}
    taken = 0
    for pk in order:
        e = by_pk[pk]
        n = number[pk]
        e.draw_number, e.queued_at = n, drawn_at + datetime.timedelta(microseconds=n)
        if n <= delivered:
            e.state, e.offered_at, e.confirmed_at = State.ATTENDED, drawn_at, drawn_at
            taken += 1
        elif n <= roster.places:
            # the seed: 64 women screened in January 2025 (held back by the hospital's repairs)
            e.state, e.offered_at, e.confirmed_at = (
                (State.CONFIRMED if programme.kind == Kind.SCREENING else State.NO_SHOW),
                drawn_at,
                drawn_at,
            )
            taken += 1
        else:
            e.state, e.cancelled_at, e.cancel_reason = (
                State.CANCELLED,
                _tz(datetime.date(year, 12, 31)),
                "服务期结束，候补未轮到",
            )
    Enrolment.objects.bulk_update(
        enrolments,
        ["draw_number", "queued_at", "state", "offered_at", "confirmed_at", "cancelled_at", "cancel_reason"],
        batch_size=500,
    )
    Roster.objects.filter(pk=roster.pk).update(
        draw_seed=seed, drawn_at=drawn_at, taken=taken, applied=0, waiting=0, is_open=False
    )
    apps_, attendance, answers = [], [], []
    holding = sorted(
        (e for e in enrolments if e.state in (State.ATTENDED, State.CONFIRMED, State.NO_SHOW)),
        key=lambda e: e.draw_number,
    )
    slot_of = {}
    for i, e in enumerate(holding):
        if slots:
            slot_of[e.pk] = slots[min(i // 40, len(slots) - 1)]
    for e in enrolments:
        slot = slot_of.get(e.pk)
        apps_.append(
            Application(
                programme=programme,
                person_id=e.person_id,
                enrolment=e,
                reference=f"PH{year}-{e.pk:07d}",
                channel=e.channel,
                consent_at=applied_at,
                health_consent_at=applied_at if programme.health_data else None,
                slot=slot,
                policy_number=f"YW{year}{e.pk:08d}"
                if programme.kind == Kind.INSURANCE and e.state == State.ATTENDED
                else "",
                is_demo=True,
            )
        )
        if e.state == State.ATTENDED:
            attendance.append(
                Attendance(occasion_id=programme.occasion_id, enrolment=e, method=Attendance.Method.PERSONAL_QR)
            )
            if e.draw_number % 3 == 0:
                answers.append(Satisfaction(enrolment=e, score=5 if e.draw_number % 2 else 4))
    Application.objects.bulk_create(apps_, batch_size=500)
    Attendance.objects.bulk_create(attendance, batch_size=500)
    Satisfaction.objects.bulk_create(answers, batch_size=500)
    for slot in slots:
        Slot.objects.filter(pk=slot.pk).update(booked=Application.objects.filter(slot=slot).count())


def load(stdout) -> None:
    for name in (HOSPITAL_1, HOSPITAL_2, INSURER, RESORT):
        _org(name)
    officer = demo_user(stdout, "benefits", "陈普惠", role="benefits_officer", employer=FUWU)
    nurse = demo_user(stdout, "hospital", "李护士", role="benefits_provider", employer=HOSPITAL_1)
    ProviderStaff.objects.get_or_create(provider=_org(HOSPITAL_1), user=nurse, defaults={"is_demo": True})
    if officer.employer_id is None:
        officer.employer = _org(FUWU, Organization.Kind.UNION)
        officer.save(update_fields=["employer"])
    ids = _people(stdout)
    pks = [ids[f"bf-demo-{n:04d}"] for n in range(PEOPLE)]
    User = get_user_model()
    front_line = set(User.objects.filter(pk__in=pks, occupation__in=FRONT_LINE.split(",")).values_list("pk", flat=True))
    for year, kind, name, organiser, places, (low, high), delivered, providers, rules, groups, channel in PAST:
        ends = (
            datetime.date(year + 1, 1, 31) if kind == Kind.SCREENING and year == 2024 else datetime.date(year, 12, 31)
        )
        programme = _programme(
            year,
            kind,
            name,
            organiser,
            places,
            providers,
            rules,
            groups,
            channel,
            opens=_tz(datetime.date(year, 2, 1)),
            closes=_tz(datetime.date(year, 3, 31), 17),
            starts=datetime.date(year, 4, 1),
            ends=ends,
        )
        _fill_past(programme, pks[low:high], delivered, providers, front_line)
    today = timezone.localdate()
    now = timezone.now().replace(second=0, microsecond=0)
    current = [
        (
            Kind.SCREENING,
            f"{today.year}年女职工“两癌”筛查",
            NVZHIGONG,
            500,
            [("female", "", "仅限女职工"), ("age", "35-64", "")],
            [("一线女职工", "occupation", FRONT_LINE)],
            "individual",
            (HOSPITAL_1, HOSPITAL_2),
        ),
        (
            Kind.CHECKUP,
            f"{today.year}年职工健康体检",
            FUWU,
            600,
            [("not_served", "2", "近2年内已参加过健康体检")],
            [("一线职工", "occupation", FRONT_LINE)],
            "both",
            (HOSPITAL_1, HOSPITAL_2),
        ),
        (
            Kind.INSURANCE,
            f"{today.year}年新就业形态劳动者意外伤害保险",
            FUWU,
            200,
            [("new_form", "", "仅限货车司机、快递员等新就业形态劳动者")],
            [],
            "individual",
            (INSURER,),
        ),
        (
            Kind.RETREAT,
            f"{today.year}年一线职工疗休养",
            FUWU,
            160,
            [("occupation", FRONT_LINE, "仅限一线职工")],
            [],
            "both",
            (RESORT,),
        ),
    ]
    if today.year > 2024:
        for kind, name, organiser, places, rules, groups, channel, providers in current:
            programme = _programme(
                today.year,
                kind,
                name,
                organiser,
                places,
                providers,
                rules,
                groups,
                channel,
                opens=now - datetime.timedelta(days=3),
                closes=now + datetime.timedelta(days=14),
                starts=today + datetime.timedelta(days=21),
                ends=today + datetime.timedelta(days=90),
            )
            if programme.needs_appointment and not programme.slots.exists():
                for week in range(6):
                    for i, provider in enumerate(providers):
                        day = today + datetime.timedelta(days=22 + week * 7 + i)
                        services.slot_add(
                            programme=programme,
                            provider=_org(provider),
                            day=day,
                            starts=datetime.time(8),
                            ends=datetime.time(11),
                            places=50,
                        )
    for year in (2023, 2024):
        counts = [
            f"{p.get_kind_display()} {Application.objects.filter(programme=p, enrolment__state=State.ATTENDED).count()}"
            for p in Programme.objects.filter(year=year).order_by("kind")
        ]
        stdout.write(f"  {year}年普惠服务完成：" + "，".join(counts))
