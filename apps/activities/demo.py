"""Demo activities from the seed, consistent with the ten-things demo of 2024.

2024 (a closed year: the numbers behind the linked indicators of items 1, 2, 5 and 8 must be
exactly what those pages showed from typed progress reports): 22 双进宣讲 held in enterprises
(head counts), 16 读书活动 at 明己书院, the 7点班 courses 短视频制作 and 电商直播 at 恒兴科技园
(24 sessions, 648 person-times), 7 康乃馨 sessions in 2024 (the 8th moved to January 2025, as
the seed says), one 联谊会 and a summer 托管托育. Around today: upcoming activities with sign-ups,
a full course with a waiting list, a draw, a childcare class. Every record is marked demo.
Idempotent: activities are keyed by (kind, title, 期); sessions are made only once.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.core.models import Organization, Town
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, PriorityGroup, Roster

from . import services
from .models import Activity, Kind, Session

XUANJIAO = "兴化市总工会宣传教育部"
JINGJI = "兴化市总工会经济技术部"
NVZHIGONG = "兴化市总工会女职工部"
FUWU = "兴化市总工会职工服务中心"

MINGJI = ("明己书院", "昭阳街道", "兴化市昭阳街道英武路职工服务中心二楼（演示地址）", "32.9360", "119.8330")
HENGXING = ("恒兴科技园7点班实践基地", "临城街道", "兴化市临城街道恒兴科技园（演示地址）", "32.9180", "119.8650")
CENTER = ("市总工会职工服务中心", "昭阳街道", "兴化市昭阳街道英武路（演示地址）", "32.9355", "119.8325")

# (day, enterprise, town, head count): 22 talks in 2024, as item 1's demo reports sum to.
TALKS_2024 = [
    ("2024-03-12", "国网兴化市供电公司", "临城街道", 86),
    ("2024-03-26", "东华链条兴化有限公司", "戴南镇", 120),
    ("2024-04-09", "恒兴科技园", "临城街道", 64),
    ("2024-04-23", "兴化市城市管理局环卫处", "昭阳街道", 95),
    ("2024-05-14", "戴南镇不锈钢企业联合工会", "戴南镇", 110),
    ("2024-05-28", "张郭镇总工会", "张郭镇", 72),
    ("2024-06-11", "兴化市文达职业技术培训学校", "昭阳街道", 58),
    ("2024-06-25", "安丰镇总工会", "安丰镇", 66),
    ("2024-07-09", "国网兴化市供电公司", "临城街道", 80),
    ("2024-07-23", "戴窑镇总工会", "戴窑镇", 54),
    ("2024-08-13", "合陈镇总工会", "合陈镇", 61),
    ("2024-08-27", "东华链条兴化有限公司", "戴南镇", 98),
    ("2024-09-10", "兴化中学", "昭阳街道", 300),
    ("2024-09-24", "永丰镇总工会", "永丰镇", 57),
    ("2024-10-15", "沙沟镇总工会", "沙沟镇", 49),
    ("2024-10-29", "恒兴科技园", "临城街道", 70),
    ("2024-11-05", "陈堡镇总工会", "陈堡镇", 62),
    ("2024-11-19", "周庄镇总工会", "周庄镇", 75),
    ("2024-11-26", "竹泓镇总工会", "竹泓镇", 52),
    ("2024-12-03", "大垛镇总工会", "大垛镇", 60),
    ("2024-12-10", "荻垛镇总工会", "荻垛镇", 55),
    ("2024-12-17", "昌荣镇总工会", "昌荣镇", 68),
]

# 16 reading activities at 明己书院 in 2024 (item 2): (day, title, head count).
READINGS_2024 = [
    ("2024-01-20", "读书分享会", 26),
    ("2024-02-24", "经典诵读", 32),
    ("2024-03-16", "文化沙龙", 22),
    ("2024-04-20", "读书分享会", 35),
    ("2024-04-23", "经典诵读", 48),  # 世界读书日
    ("2024-05-18", "文化沙龙", 24),
    ("2024-06-15", "读书分享会", 28),
    ("2024-07-13", "经典诵读", 30),
    ("2024-07-27", "文化沙龙", 21),
    ("2024-08-17", "读书分享会", 27),
    ("2024-09-14", "经典诵读", 33),
    ("2024-09-28", "文化沙龙", 25),
    ("2024-10-19", "读书分享会", 29),
    ("2024-11-09", "经典诵读", 31),
    ("2024-11-23", "文化沙龙", 23),
    ("2024-12-14", "读书分享会", 34),
]

# The 7点班 courses of 2024 (item 5's 培训职工 648 人次): (title, 期, first day, per-session counts).
COURSES_2024 = [
    ("短视频制作", 1, "2024-03-05", [28, 27, 26, 27]),
    ("电商直播", 1, "2024-04-09", [30, 28, 27, 27]),
    ("短视频制作", 2, "2024-06-04", [27, 26, 27, 26]),
    ("电商直播", 2, "2024-07-02", [29, 27, 26, 26]),
    ("短视频制作", 3, "2024-09-03", [27, 27, 26, 26]),
    ("电商直播", 3, "2024-10-15", [28, 27, 27, 26]),
]

# 康乃馨专家志愿服务: 7 sessions in 2024, the 8th moved to January 2025 (item 8).
CARNATIONS = [
    ("2024-03-08", "戴南镇", 45),
    ("2024-04-18", "张郭镇", 38),
    ("2024-05-16", "安丰镇", 42),
    ("2024-06-20", "临城街道", 36),
    ("2024-09-12", "戴窑镇", 40),
    ("2024-10-17", "合陈镇", 35),
    ("2024-11-21", "沙沟镇", 39),
    ("2025-01-09", "昭阳街道", 44),
]


def _at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute)), tz
    )


def _activity(key, *, roster_fields=None, place=None, **fields) -> tuple[Activity, bool]:
    kind, title, number = key
    place_name, town, address, lat, lng = place or CENTER
    organiser = Organization.objects.get(name=fields.pop("organiser", XUANJIAO))
    activity = Activity.objects.filter(kind=kind, title=title, series_number=number).first()
    created = activity is None
    if created:
        activity = Activity(kind=kind, title=title, series_number=number)
    activity.organiser = organiser
    activity.place_name = fields.pop("place_name", place_name)
    activity.town = Town.objects.filter(name=fields.pop("town", town)).first()
    activity.address, activity.latitude, activity.longitude = address, lat, lng
    activity.is_demo = True
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.status == Activity.Status.DRAFT or created:
        services.activity_save(activity=activity, roster_fields=roster_fields or {"places": 0})
    else:
        activity.save()
    return activity, created


def _held(activity: Activity, sessions: list[tuple[datetime.datetime, int, str]]) -> None:
    """A past activity: its sessions with the organiser's head counts, then held."""
    if not activity.sessions.exists():
        for starts, count, topic in sessions:
            session = services.session_add(
                activity=activity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), topic=topic
            )
            Session.objects.filter(pk=session.pk).update(head_count=count)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.HELD)
    Roster.objects.filter(pk=activity.roster_id).update(is_open=False)


def _upcoming(activity: Activity, sessions: list[tuple[datetime.datetime, str]]) -> Activity:
    if not activity.sessions.exists():
        for starts, topic in sessions:
            services.session_add(
                activity=activity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), topic=topic
            )
    activity.refresh_from_db()
    if activity.status == Activity.Status.DRAFT:
        services.activity_publish(activity=activity)
    return activity


def _past_year() -> int:
    talks = readings = person_times = carnations = 0
    for number, (day, enterprise, town, count) in enumerate(TALKS_2024, start=1):
        activity, _ = _activity(
            (Kind.TALK, "劳模工匠“双进”宣讲", number),
            town=town,
            place_name=enterprise,
            partner=enterprise,
            signup_required=False,
            description="“点亮匠心梦”劳模“双进”专场：劳模工匠、思政教师走进企业一线宣讲（演示）。",
        )
        _held(activity, [(_at(day, 14, 30), count, "")])
        talks += 1
    for number, (day, title, count) in enumerate(READINGS_2024, start=1):
        activity, _ = _activity(
            (Kind.READING, f"明己书院·{title}", number),
            place=MINGJI,
            roster_fields={"places": 40},
            description="书香润职工“阅读赋能成才”：在300平方米的职工书屋“明己书院”开展（演示）。",
        )
        _held(activity, [(_at(day, 14, 0), count, "")])
        readings += 1
    for title, number, first, counts in COURSES_2024:
        activity, _ = _activity(
            (Kind.TRAINING, title, number),
            place=HENGXING,
            organiser=JINGJI,
            completion_sessions=3,
            roster_fields={"places": 30},
            description=f"职工技能培训7点班：{title}，每周一场，共4场；参加3场及以上算结业（演示）。",
        )
        first_day = datetime.date.fromisoformat(first)
        _held(
            activity,
            [
                (_at((first_day + datetime.timedelta(days=7 * i)).isoformat(), 19), count, f"第{i + 1}讲")
                for i, count in enumerate(counts)
            ],
        )
        person_times += sum(counts)
    for number, (day, town, count) in enumerate(CARNATIONS, start=1):
        activity, _ = _activity(
            (Kind.CARNATION, "康乃馨专家志愿服务", number),
            town=town,
            place_name=f"{town}职工之家",
            organiser=NVZHIGONG,
            audience=Activity.Audience.WOMEN,
            signup_required=False,
            description="为基层女职工送康乃馨专家志愿服务：健康讲座与义诊（演示）。"
            + ("原定2024年12月，因专家档期冲突顺延至2025年1月。" if day.startswith("2025") else ""),
        )
        _held(activity, [(_at(day, 9, 0), count, "")])
        carnations += day.startswith("2024")
    social, _ = _activity(
        (Kind.SOCIAL, "青年职工交友联谊会", 1),
        organiser=NVZHIGONG,
        roster_fields={"places": 60},
        description="“馨”贴“兴”手拉“守”：青年职工交友联谊会（演示）。",
    )
    _held(social, [(_at("2024-05-19", 14), 58, "")])
    childcare, _ = _activity(
        (Kind.CHILDCARE, "暑期职工子女托管班", 1),
        place=CENTER,
        organiser=FUWU,
        child_min_age=6,
        child_max_age=12,
        roster_fields={"places": 50},
        description="暑期职工子女托管托育：作业辅导、阅读、手工和安全课（演示）。",
    )
    _held(childcare, [(_at("2024-07-15", 8, 30), 46, "开班")])
    return talks, readings, person_times, carnations


def _around_today(stdout) -> None:
    User = get_user_model()
    today = timezone.localdate()

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).isoformat()

    workers = list(
        User.objects.filter(username__in=["worker", "courier_liu", "chain_wang", "courier_zhang", "rider_chen"])
    )
    reading, _ = _activity(
        (Kind.READING, "明己书院·读书分享会", 17),
        place=MINGJI,
        roster_fields={"places": 30, "waiting_list": True},
        description="本期共读《平凡的世界》，欢迎带上您的读书笔记（演示）。",
    )
    reading = _upcoming(reading, [(_at(day(5), 14), "共读《平凡的世界》")])
    for person in workers[:3]:
        engine.signup(roster=reading.roster, person=person)
    course, _ = _activity(
        (Kind.TRAINING, "短视频制作", 4),
        place=HENGXING,
        organiser=JINGJI,
        completion_sessions=3,
        roster_fields={"places": 40, "waiting_list": True},
        description="职工技能培训7点班：手机拍摄、剪辑与发布，共4讲，参加3讲及以上算结业（演示）。",
    )
    _upcoming(course, [(_at(day(7 + 7 * i), 19), f"第{i + 1}讲") for i in range(4)])
    live, _ = _activity(
        (Kind.TRAINING, "电商直播", 4),
        place=HENGXING,
        organiser=JINGJI,
        completion_sessions=2,
        roster_fields={"places": 3, "waiting_list": True, "hold_hours": 12},
        description="电商直播入门：选品、话术和直播间搭建（演示；名额已满时可候补）。",
    )
    live = _upcoming(live, [(_at(day(9), 19), "第1讲"), (_at(day(16), 19), "第2讲")])
    for person in workers:
        engine.signup(roster=live.roster, person=person)
    carnation, _ = _activity(
        (Kind.CARNATION, "康乃馨专家志愿服务", 9),
        town="戴南镇",
        place_name="戴南镇职工之家",
        organiser=NVZHIGONG,
        audience=Activity.Audience.WOMEN,
        roster_fields={"places": 50},
        description="女职工健康讲座与“两癌”筛查咨询（演示）。",
    )
    _upcoming(carnation, [(_at(day(12), 9), "")])
    social, _ = _activity(
        (Kind.SOCIAL, "青年职工交友联谊会", 2),
        organiser=NVZHIGONG,
        place_name="千垛景区游客中心",
        town="缸顾乡",
        roster_fields={
            "places": 40,
            "allocation": Roster.Allocation.DRAW,
            "closes_at": _at(day(10), 18),
        },
        description="报名人数超过名额时，报名截止后公开抽签，35周岁及以下的职工优先（演示）。",
    )
    social = _upcoming(social, [(_at(day(20), 14), "")])
    PriorityGroup.objects.get_or_create(
        roster=social.roster, order=0, defaults={"name": "35周岁及以下", "rule": "age_35_or_under", "share": "0.7"}
    )
    childcare, _ = _activity(
        (Kind.CHILDCARE, "寒假职工子女托管班", 1),
        place=CENTER,
        organiser=FUWU,
        child_min_age=6,
        child_max_age=12,
        roster_fields={"places": 40, "waiting_list": True},
        description="寒假期间工作日8:30–17:00，作业辅导、阅读和手工；家长为孩子报名，需监护人同意（演示）。",
    )
    _upcoming(childcare, [(_at(day(40), 8, 30), "开班")])
    salon, created = _activity(
        (Kind.READING, "明己书院·文化沙龙", 17),
        place=MINGJI,
        roster_fields={"places": 20},
        description="文化沙龙：兴化板桥文化漫谈（演示；已举办，含签到、未到场和满意度评价）。",
    )
    if created:
        past = _at(day(-10), 14)
        services.session_add(activity=salon, starts_at=past, ends_at=past + datetime.timedelta(hours=2))
        services.activity_publish(activity=salon)
        occasion = salon.sessions.get().occasion
        for index, person in enumerate(workers[:3]):
            enrolment = engine.signup(roster=salon.roster, person=person).enrolment
            if index < 2:  # two came, one did not
                engine.checkin(occasion=occasion, person=person, method=Attendance.Method.DOOR_QR, now=past)
                enrolment.refresh_from_db()
                engine.satisfaction_submit(enrolment=enrolment, score=5 - index, comment="很有收获")
        services.activity_mark_held(activity=salon)
        engine.no_shows_mark()
    talk, _ = _activity(
        (Kind.TALK, "劳模工匠“双进”宣讲", 23),
        place_name="国网兴化市供电公司",
        town="临城街道",
        signup_required=False,
        description="劳模工匠进企业宣讲（演示；无需报名）。",
    )
    _upcoming(talk, [(_at(day(3), 14, 30), "")])


def load(stdout) -> None:
    demo_user(stdout, "organiser", "宣传部干事", role="activity_organiser", employer=XUANJIAO)
    talks, readings, person_times, carnations = _past_year()
    _around_today(stdout)
    stdout.write(
        f"  活动报名：2024年“双进”宣讲 {talks} 场、读书活动 {readings} 场、7点班培训 {person_times} 人次、"
        f"康乃馨专家志愿服务 {carnations} 场（另1场顺延至2025年1月）；近期活动含候补、抽签和托管托育（演示）"
    )
