"""Demo data of legal aid, from the seed: 老黄维权站 and its 组织架构 and rota, the grassroots stations
of ten-things item 9 (19 of 26 open in 2024), 82 legal events held in 2024 including the 第8期
实景课堂, 10,400 people served in the 2024 ledger, and consultations and cases in every state.
Invented details are marked ``is_demo`` and labelled “演示数据” on the pages."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.core.models import Organization, Town

from . import services
from .models import (
    CallbackAttempt,
    Consultation,
    DisputeCase,
    DutyShift,
    EventInvitee,
    LawyerProfile,
    LedgerEntry,
    LegalEvent,
    LegalStation,
    RotaTemplate,
    Service,
    StationMember,
    StationPartner,
    Topic,
)

CENTER = (Decimal("32.930600"), Decimal("119.840600"))
OPEN_2024 = 19
PEOPLE_2024 = 10_400
EVENTS_2024 = 82
NEWS_SEARCH = "/news/?q=%E5%AE%9E%E6%99%AF%E8%AF%BE%E5%A0%82"  # the seed's 第8期 实景课堂 article


def _pdf(name: str) -> ContentFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return ContentFile(body, name=name)


def _stations(towns, orgs):
    flagship, _ = LegalStation.objects.update_or_create(
        code="laohuang",
        defaults={
            "name": "老黄维权站",
            "kind": LegalStation.Kind.FLAGSHIP,
            "town": towns["昭阳街道"],
            "host": orgs.get("兴化市总工会职工服务中心"),
            "address": "兴化市昭阳街道 市总工会职工服务中心一楼",
            "latitude": CENTER[0],
            "longitude": CENTER[1],
            "phone": "12351",
            "hours": "周一至周五 8:30–12:00，14:30–17:30",
            "services": list(Service.values),
            "description": "兴化市职工法律维权服务阵地品牌，值班律师坐班解答，劳动纠纷调解室受理调解申请。",
            "status": LegalStation.Status.OPEN,
            "status_reason": "",
            "opened_on": datetime.date(2021, 5, 1),
        },
    )
    grassroots = []
    ordered = sorted(towns.values(), key=lambda t: t.sort_order)
    for index, town in enumerate(ordered):
        is_open = index < OPEN_2024
        opened = datetime.date(2024, 1 + (index * 9) // OPEN_2024, 10 + index % 15) if is_open else None
        station, _ = LegalStation.objects.update_or_create(
            code=f"gr-{index + 1:02d}",
            defaults={
                "name": f"{town.name}基层工会法律服务站",
                "kind": LegalStation.Kind.GRASSROOTS,
                "town": town,
                "address": f"{town.name}人社所、司法所联合服务大厅",
                # Spread over the city without lining up on a grid (invented points, marked demo).
                "latitude": CENTER[0] + Decimal(f"{((index * 37) % 23 - 11) * 0.012:.6f}"),
                "longitude": CENTER[1] + Decimal(f"{((index * 53) % 19 - 9) * 0.019:.6f}"),
                "hours": "周一至周五 9:00–11:30" if is_open else "",
                "services": ["advice", "mediation", "referral"] if is_open else [],
                "status": LegalStation.Status.OPEN if is_open else LegalStation.Status.PLANNED,
                "status_reason": "" if is_open else "已选址，正在与镇人社所、司法所协调场地（2025年建成）",
                "opened_on": opened,
                "is_demo": True,
            },
        )
        grassroots.append(station)
    for org_name, role in (
        ("兴化市人力资源和社会保障局", StationPartner.Role.HRSS),
        ("兴化市司法局", StationPartner.Role.JUSTICE),
        ("兴化市人民法院", StationPartner.Role.COURT),
    ):
        if org_name in orgs:
            StationPartner.objects.get_or_create(station=flagship, organization=orgs[org_name], role=role)
    return flagship, grassroots


@transaction.atomic
def load(stdout) -> None:
    towns = {t.name: t for t in Town.objects.all()}
    if len(towns) < 26:
        stdout.write("  法律维权：缺少乡镇数据（先加载 core 演示数据），跳过")
        return
    orgs = {o.name: o for o in Organization.objects.all()}
    firm, _ = Organization.objects.get_or_create(
        name="江苏昭阳律师事务所（演示）", defaults={"short_name": "昭阳律所", "kind": Organization.Kind.SOCIAL}
    )
    flagship, grassroots = _stations(towns, orgs)
    StationPartner.objects.get_or_create(station=flagship, organization=firm, role=StationPartner.Role.LAW_FIRM)

    officer = demo_user(stdout, "legalofficer", "周部长", role="legal_officer", employer="兴化市总工会法律工作部")
    huang = demo_user(stdout, "lawyer", "黄律师", role="lawyer")
    wang = demo_user(stdout, "lawyer2", "王律师", role="lawyer")
    mediator = demo_user(stdout, "mediator", "陈调解员", role="mediator", employer="兴化市总工会职工服务中心")
    head = demo_user(stdout, "legalstaff", "李站长", employer="兴化市总工会职工服务中心")
    worker = demo_user(stdout, "worker", "刘师傅", employer="兴化市城市管理局环卫处")
    courier = demo_user(stdout, "courier", "张师傅（快递）", town="戴南镇")

    profiles = {}
    for user, licence in ((huang, "13212200810000001"), (wang, "13212201510000002")):
        profile, _ = LawyerProfile.objects.get_or_create(
            user=user,
            defaults={
                "firm": firm,
                "contract_from": datetime.date(2024, 1, 1),
                "contract_to": datetime.date(2026, 12, 31),
                "specialties": ["wages", "injury", "contract"] if user is huang else ["new_form", "insurance"],
                "licence_number": licence,
                "is_demo": True,
            },
        )
        profile.stations.add(flagship, *grassroots[:4])
        profiles[user.username] = profile
    if "东华链条兴化有限公司" in orgs:
        profiles["lawyer2"].advised_employers.add(orgs["东华链条兴化有限公司"])

    members = [
        (head, StationMember.Role.HEAD),
        (mediator, StationMember.Role.MEDIATOR),
        (huang, StationMember.Role.LAWYER),
        (wang, StationMember.Role.LAWYER),
        (officer, StationMember.Role.LIAISON),
    ]
    for user, role in members:
        StationMember.objects.get_or_create(
            station=flagship, user=user, role=role, defaults={"since": datetime.date(2024, 1, 1)}
        )

    today = timezone.localdate()
    rota = [
        (flagship, profiles["lawyer"], 1, "09:00", "11:30", "on_site"),  # every Tuesday morning
        (flagship, profiles["lawyer2"], 3, "09:00", "11:30", "on_site"),  # every Thursday morning
        (flagship, profiles["lawyer"], 2, "14:30", "17:00", "phone"),
        (grassroots[3], profiles["lawyer2"], 4, "09:00", "11:30", "on_site"),
    ]
    for station, lawyer, weekday, start, end, mode in rota:
        template, created = RotaTemplate.objects.get_or_create(
            station=station,
            lawyer=lawyer,
            weekday=weekday,
            start=datetime.time.fromisoformat(start),
            defaults={
                "end": datetime.time.fromisoformat(end),
                "mode": mode,
                "slots": 4,
                "valid_from": datetime.date(2024, 1, 1),
            },
        )
        services.rota_generate(
            template=template, since=today - datetime.timedelta(days=14), until=today + datetime.timedelta(days=28)
        )
    DutyShift.objects.filter(date__lt=today, status="scheduled").update(status=DutyShift.Status.DONE, is_demo=True)
    DutyShift.objects.filter(template__isnull=False).update(is_demo=True)

    _ledger(flagship, grassroots)
    _events(flagship, grassroots, [worker, courier])
    if not Consultation.objects.filter(is_demo=True).exists():
        _consultations(flagship, grassroots, profiles, officer, mediator, worker, courier, orgs)
    stdout.write(
        f"  法律维权：服务站 {LegalStation.objects.count()} 个（基层 {OPEN_2024}/26 开放），"
        f"2024 年活动 {LegalEvent.objects.filter(status='held', starts_at__year=2024).count()} 场，"
        f"台账 {sum(LedgerEntry.objects.filter(date__year=2024).values_list('people', flat=True))} 人"
    )


def _ledger(flagship, grassroots) -> None:
    if LedgerEntry.objects.filter(date__year=2024, is_demo=True).exists():
        return
    slots = []
    for station in [flagship, *grassroots[:OPEN_2024]]:
        for month in range(1, 13):
            day = datetime.date(2024, month, 20)
            if station.opened_on and station.opened_on <= day:
                slots.append((station, day))
    per, extra = divmod(PEOPLE_2024, len(slots))
    channels = list(LedgerEntry.Channel.values)
    topics = list(Topic.values)
    rows = []
    for index, (station, day) in enumerate(slots):
        people = per + (1 if index < extra else 0)
        rows.append(
            LedgerEntry(
                station=station,
                date=day,
                channel=channels[index % len(channels)],
                topic=topics[index % len(topics)],
                people=people,
                new_form_people=people * 15 // 100,
                note="月度汇总（演示）",
                is_demo=True,
            )
        )
    LedgerEntry.objects.bulk_create(rows)


def _events(flagship, grassroots, registrants) -> None:
    tz = timezone.get_current_timezone()
    court_classes = [
        (6, datetime.datetime(2023, 10, 17, 9, 0, tzinfo=tz), "劳动合同解除纠纷", 18),
        (7, datetime.datetime(2024, 3, 21, 9, 0, tzinfo=tz), "拖欠劳动报酬纠纷", 22),
        (8, datetime.datetime(2024, 6, 18, 9, 0, tzinfo=tz), "工伤保险待遇纠纷", 23),
    ]
    for number, starts, case_type, heads in court_classes:
        event, created = LegalEvent.objects.get_or_create(
            kind=LegalEvent.Kind.COURT_CLASS,
            series_number=number,
            defaults={
                "title": "劳动争议多元化化解“实景课堂”庭审观摩",
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "place": "兴化市人民法院 第三审判庭",
                "station": flagship,
                "partner": "兴化市人民法院",
                "case_type": case_type,
                "capacity": 20,
                "status": LegalEvent.Status.HELD,
                "head_count": heads,
                "is_demo": True,
                "news_url": NEWS_SEARCH if number == 8 else "",
                "description": (
                    "市总工会联合市法院举办，职工代表、工会干部现场旁听一起工伤保险待遇纠纷（三级伤残）的庭审，"
                    "约2小时；庭后围绕劳动关系风险点开展交流。"
                    if number == 8
                    else ""
                ),
            },
        )
        if created and number == 8:
            for name, category in (
                ("（演示）人大代表", "npc"),
                ("（演示）政协委员", "cppcc"),
                ("（演示）企业代表", "enterprise"),
            ):
                EventInvitee.objects.create(event=event, name=name, category=category, attended=True)
    held_2024 = LegalEvent.objects.filter(status="held", starts_at__year=2024).count()
    kinds = [LegalEvent.Kind.PUBLICITY, LegalEvent.Kind.CASE_LAW, LegalEvent.Kind.ENTERPRISE]
    titles = {
        LegalEvent.Kind.PUBLICITY: "劳动法律法规进社区宣传",
        LegalEvent.Kind.CASE_LAW: "以案普法：工资拖欠典型案例讲解",
        LegalEvent.Kind.ENTERPRISE: "送法进企业：劳动合同风险点",
    }
    stations = [flagship, *grassroots[:OPEN_2024]]
    rows = []
    for index in range(EVENTS_2024 - held_2024):
        kind = kinds[index % 3]
        station = stations[index % len(stations)]
        starts = datetime.datetime(
            2024, 1 + index * 12 // (EVENTS_2024 - held_2024 or 1), 5 + index % 20, 14, 30, tzinfo=tz
        )
        rows.append(
            LegalEvent(
                kind=kind,
                title=f"{titles[kind]}（{station.town}）",
                starts_at=starts,
                place=station.address,
                station=station,
                capacity=60,
                status=LegalEvent.Status.HELD,
                head_count=40 + index % 50,
                is_demo=True,
            )
        )
    LegalEvent.objects.bulk_create(rows)
    now = timezone.now()
    if not LegalEvent.objects.filter(status=LegalEvent.Status.OPEN, starts_at__gt=now, is_demo=True).exists():
        soon = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
        upcoming = LegalEvent.objects.create(
            kind=LegalEvent.Kind.COURT_CLASS,
            series_number=LegalEvent.objects.filter(kind="court_class").count() + 6,
            title="劳动争议多元化化解“实景课堂”庭审观摩",
            starts_at=soon + datetime.timedelta(days=10),
            ends_at=soon + datetime.timedelta(days=10, hours=2),
            place="兴化市人民法院 第三审判庭",
            station=flagship,
            partner="兴化市人民法院",
            case_type="确认劳动关系纠纷（外卖骑手）",
            capacity=20,
            is_demo=True,
        )
        for user in registrants:
            services.event_register(event=upcoming, user=user)
        LegalEvent.objects.create(
            kind=LegalEvent.Kind.PUBLICITY,
            title="新就业形态劳动者权益保障宣传（快递驿站）",
            starts_at=soon + datetime.timedelta(days=5, hours=5),
            place="戴南镇快递物流园",
            station=grassroots[3],
            capacity=50,
            is_demo=True,
        )


def _consultations(flagship, grassroots, profiles, officer, mediator, worker, courier, orgs) -> None:
    now = timezone.now()
    huang, wang = profiles["lawyer"], profiles["lawyer2"]

    def ask(user, topic, question, *, channel="written", station=flagship, shift=None, employer="", new_form=False):
        c = services.consultation_submit(
            worker=user,
            station=station,
            topic=topic,
            question=question,
            channel=channel,
            consent=True,
            contact_name=user.display_name,
            contact_phone="1380523" + f"{user.pk:04d}"[-4:],
            employer_name=employer,
            shift=shift,
            callback_from=now + datetime.timedelta(days=1) if channel == "callback" else None,
            callback_to=now + datetime.timedelta(days=1, hours=3) if channel == "callback" else None,
            is_new_form=new_form,
        )
        Consultation.objects.filter(pk=c.pk).update(is_demo=True)
        c.is_demo = True
        return c

    overdue = ask(courier, Topic.NEW_FORM, "送快递时摔伤，站点说我不是他们的员工，不给报销医药费。", new_form=True)
    Consultation.objects.filter(pk=overdue.pk).update(
        created_at=now - datetime.timedelta(days=6), due_at=now - datetime.timedelta(days=2)
    )
    ask(
        worker,
        Topic.HOURS,
        "环卫作业经常加班到晚上，加班费怎么算？",
        channel="callback",
        employer="兴化市城市管理局环卫处",
    )
    triaged = ask(worker, Topic.INSURANCE, "单位一直没给我交社保，我能要求补缴吗？", employer="恒兴科技园")
    services.consultation_assign(consultation=triaged, lawyer=huang, by=officer)
    slot = (
        DutyShift.objects.filter(station=flagship, date__gt=now.date(), status__in=["scheduled", "confirmed"])
        .order_by("date", "start")
        .first()
    )
    if slot:
        ask(worker, Topic.CONTRACT, "公司让我签自愿离职的协议，我该不该签？", channel="slot", shift=slot)
    answered = ask(worker, Topic.WAGES, "老板拖欠两个月工资 9600 元，怎么办？", employer="恒兴科技园")
    services.consultation_assign(consultation=answered, lawyer=huang, by=officer)
    services.consultation_answer(
        consultation=answered,
        by=huang.user,
        answer="先保留考勤和工资条，可向用人单位书面催要；仍不支付的可申请调解，或向劳动监察（12333）投诉。",
    )
    closed = ask(courier, Topic.NEW_FORM, "网约车平台扣了我的服务分和押金，能要回来吗？", new_form=True)
    services.consultation_assign(consultation=closed, lawyer=wang, by=officer)
    services.consultation_answer(
        consultation=closed, by=wang.user, answer="可先向平台申诉；平台规则不合理的可到服务站申请调解。"
    )
    services.consultation_close(consultation=closed, by=wang.user, outcome=Consultation.Outcome.ANSWERED)
    services.consultation_rate(consultation=closed, by=courier, rating=5, comment="律师很耐心")
    unreachable = ask(worker, Topic.OTHER, "想咨询一下劳务派遣的问题。", channel="callback")
    services.consultation_assign(consultation=unreachable, lawyer=huang, by=officer)
    for _i in range(CallbackAttempt.MAX_FAILED):
        services.callback_log(consultation=unreachable, by=huang.user, reached=False, note="无人接听")
    cancelled = ask(worker, Topic.WOMEN, "怀孕期间被调岗降薪合法吗？")
    services.consultation_cancel(consultation=cancelled, by=worker)
    to_case = ask(
        worker, Topic.INJURY, "工伤认定为三级伤残，单位不支付一次性伤残就业补助金。", employer="东华链条兴化有限公司"
    )
    services.consultation_assign(consultation=to_case, lawyer=huang, by=officer)
    services.consultation_answer(
        consultation=to_case, by=huang.user, answer="建议申请劳动争议调解，我们为您安排调解员。"
    )
    services.consultation_close(
        consultation=to_case, by=huang.user, outcome=Consultation.Outcome.MEDIATION, amount_claimed=Decimal("86000")
    )
    first_case = DisputeCase.objects.get(source_consultation=to_case)
    services.case_mediator_assign(case=first_case, mediator=mediator, by=officer)

    today = timezone.localdate()

    def case(stage_path, claim, amount, days_ago, respondent="恒兴科技园", applicants=None, **final):
        c = services.case_open(
            station=flagship,
            applicants=applicants or [{"user": worker, "name": worker.display_name, "phone": "13805230001"}],
            respondent_name=respondent,
            respondent=orgs.get(respondent),
            topic=Topic.WAGES,
            claim=claim,
            amount_claimed=Decimal(amount),
            arose_on=today - datetime.timedelta(days=days_ago + 30),
            applied_on=today - datetime.timedelta(days=days_ago),
            by=officer,
            is_demo=True,
        )
        services.case_mediator_assign(case=c, mediator=mediator, by=officer)
        for stage in stage_path:
            data = dict(final.get(stage, {}))
            if stage == "settled":
                data.setdefault("agreement_file", _pdf("agreement.pdf"))
            c = services.case_move(case=c, to_stage=stage, by=mediator, **data)
            if stage == "mediating":
                services.case_session_add(
                    case=c,
                    by=mediator,
                    held_on=today - datetime.timedelta(days=max(days_ago - 3, 0)),
                    attendees="申请人、用人单位人事负责人、调解员",
                    minutes="双方陈述事实，单位同意核对考勤后答复。（演示）",
                )
        return c

    case([], "（演示）要求支付拖欠工资", "5200", 2)
    case(["mediating"], "（演示）要求支付加班费", "12800", 12)
    settle = {"settled": {"amount_agreed": Decimal("9000"), "payment_due": today - datetime.timedelta(days=2)}}
    case(["mediating", "settled"], "（演示）要求支付经济补偿", "15000", 30, **settle)
    case(["mediating", "failed"], "（演示）要求支付年休假工资", "4300", 40)
    case(
        ["mediating", "arbitration"],
        "（演示）要求补缴社保",
        "20000",
        60,
        arbitration={"arbitration_commission": "兴化市劳动人事争议仲裁委员会"},
    )
    case(
        ["mediating", "failed", "litigation"],
        "（演示）确认劳动关系",
        "30000",
        90,
        litigation={"court": "兴化市人民法院"},
    )
    case(["withdrawn"], "（演示）要求支付高温津贴", "1200", 20)
    case(
        ["mediating", "settled", "closed"],
        "（演示）集体讨薪：要求支付 12 名工人的工资",
        "96000",
        120,
        applicants=[{"name": f"工人{i + 1}（演示）", "is_representative": i < 2} for i in range(12)],
        settled={"amount_agreed": Decimal("90000"), "payment_due": today - datetime.timedelta(days=60)},
        closed={"outcome": "settled", "amount_recovered": Decimal("90000")},
    )
