"""Demo stations: the sites named in the seed newsletter plus plausible ones around Xinghua."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.core.models import Organization, Town

from .models import Amenity, Inspection, InspectionItem, OpeningHours, Rating, Station, Visit
from .selectors import station_counts

AMENITIES = [
    # code, name, equipment checked on inspection, icon
    ("hot-meal", "热饭", "微波炉", "饭"),
    ("water", "饮水", "饮水机", "水"),
    ("rest", "休息", "桌椅", "歇"),
    ("charging", "充电", "充电插座", "电"),
    ("toilet", "卫生间", "", "厕"),
    ("first-aid", "医药箱", "医药箱", "药"),
    ("air-con", "空调", "空调", "凉"),
    ("books", "图书", "书架", "书"),
    ("wifi", "WiFi", "无线路由器", "网"),
    ("umbrella", "雨具", "爱心雨伞", "伞"),
]

O24, BOOK, TRAIN, CENTER = (
    Station.Kind.OUTDOOR_24H,
    Station.Kind.READING_ROOM,
    Station.Kind.TRAINING_BASE,
    Station.Kind.SERVICE_CENTER,
)
FULL_24H = ["hot-meal", "water", "rest", "charging", "first-aid", "air-con", "wifi"]
WEEKDAYS_9_17 = dict.fromkeys(range(5), ("08:30", "17:30"))
BOOK_HOURS = dict.fromkeys(range(7), ("08:30", "20:30"))
TRAIN_HOURS = {**dict.fromkeys(range(5), ("08:30", "21:00")), 5: ("09:00", "17:00")}

# code, name, kind, brand, operator, town, address, lat, lng, amenities, hours (None = 24h), opened, status
STATIONS = [
    (
        "XH-ZY-001",
        "沧浪公园24小时户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "昭阳街道",
        "英武中路沧浪公园东门",
        "32.938150",
        "119.838620",
        [*FULL_24H, "toilet", "umbrella"],
        None,
        "2022-05-01",
        "open",
    ),
    (
        "XH-LC-001",
        "国网兴化市供电公司24小时户外劳动者驿站",
        O24,
        "",
        "国网兴化市供电公司",
        "临城街道",
        "长安中路国网兴化市供电公司营业厅",
        "32.925460",
        "119.853170",
        [*FULL_24H, "toilet"],
        None,
        "2022-09-15",
        "open",
    ),
    (
        "XH-LC-002",
        "明己书院职工书屋",
        BOOK,
        "",
        "恒兴科技园",
        "临城街道",
        "恒兴科技园2号楼（300平方米）",
        "32.915820",
        "119.871240",
        ["books", "water", "rest", "air-con", "wifi", "toilet"],
        BOOK_HOURS,
        "2023-04-28",
        "open",
    ),
    (
        "XH-LC-003",
        "职工技能培训7点班实践基地",
        TRAIN,
        "",
        "恒兴科技园",
        "临城街道",
        "恒兴科技园3号楼",
        "32.916410",
        "119.872050",
        ["water", "rest", "air-con", "wifi", "charging"],
        TRAIN_HOURS,
        "2023-04-28",
        "open",
    ),
    (
        "XH-ZY-002",
        "市总工会职工服务中心",
        CENTER,
        "",
        "兴化市总工会职工服务中心",
        "昭阳街道",
        "五里中路市总工会职工服务中心一楼",
        "32.931020",
        "119.846300",
        ["water", "rest", "toilet", "first-aid", "air-con", "wifi", "books"],
        WEEKDAYS_9_17,
        "2020-06-01",
        "open",
    ),
    (
        "XH-ZY-003",
        "文达职业技术培训学校培训基地",
        TRAIN,
        "7点班",
        "兴化市文达职业技术培训学校",
        "昭阳街道",
        "牌楼中路文达职业技术培训学校",
        "32.940310",
        "119.829880",
        ["water", "rest", "air-con", "wifi"],
        TRAIN_HOURS,
        "2021-03-01",
        "open",
    ),
    (
        "XH-ZY-004",
        "板桥故居环卫驿站",
        O24,
        "兴惠有你",
        "兴化市城市管理局环卫处",
        "昭阳街道",
        "东城外大街郑板桥故居北侧",
        "32.936720",
        "119.849950",
        FULL_24H,
        None,
        "2023-06-20",
        "open",
    ),
    (
        "XH-ZY-005",
        "金东门邮政网点户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "昭阳街道",
        "金东门路邮政网点",
        "32.929340",
        "119.840410",
        ["water", "rest", "charging", "hot-meal", "umbrella"],
        None,
        "2024-05-01",
        "open",
    ),
    (
        "XH-LC-004",
        "长安南路环卫驿站",
        O24,
        "兴惠有你",
        "兴化市城市管理局环卫处",
        "临城街道",
        "长安南路与丰收路交叉口",
        "32.906870",
        "119.852580",
        FULL_24H,
        None,
        "2024-09-28",
        "open",
    ),
    (
        "XH-DT-001",
        "垛田街道职工之家驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "垛田街道",
        "垛田街道便民服务中心",
        "32.953180",
        "119.874420",
        ["water", "rest", "charging", "toilet", "hot-meal"],
        None,
        "2023-11-10",
        "open",
    ),
    (
        "XH-XJ-001",
        "西郊镇快递物流园驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "西郊镇",
        "西郊镇快递物流园门口",
        "32.921540",
        "119.792310",
        ["water", "rest", "charging", "hot-meal", "first-aid"],
        None,
        "2025-04-30",
        "open",
    ),
    (
        "XH-DN-001",
        "戴南镇不锈钢园区户外劳动者驿站",
        O24,
        "兴惠有你",
        "东华链条兴化有限公司",
        "戴南镇",
        "戴南镇不锈钢交易市场南门",
        "32.731480",
        "120.070860",
        FULL_24H,
        None,
        "2023-08-01",
        "open",
    ),
    (
        "XH-DN-002",
        "东华链条职工书屋",
        BOOK,
        "",
        "东华链条兴化有限公司",
        "戴南镇",
        "东华链条兴化有限公司职工活动中心",
        "32.728920",
        "120.063510",
        ["books", "water", "rest", "wifi"],
        BOOK_HOURS,
        "2022-04-23",
        "open",
    ),
    (
        "XH-ZG-001",
        "张郭镇加油站户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "张郭镇",
        "张郭镇S231加油站",
        "32.767300",
        "120.103810",
        ["water", "rest", "charging", "toilet", "hot-meal"],
        None,
        "2025-10-15",
        "open",
    ),
    (
        "XH-AF-001",
        "安丰镇户外劳动者驿站",
        O24,
        "",
        "兴化市总工会",
        "安丰镇",
        "安丰镇便民服务中心东侧",
        "32.884210",
        "120.124370",
        ["water", "rest", "charging", "hot-meal"],
        None,
        "2024-11-20",
        "open",
    ),
    (
        "XH-CB-001",
        "陈堡镇职工服务站",
        CENTER,
        "",
        "兴化市总工会",
        "陈堡镇",
        "陈堡镇人民政府便民大厅",
        "32.812440",
        "119.989150",
        ["water", "rest", "toilet", "first-aid"],
        WEEKDAYS_9_17,
        "2021-09-01",
        "open",
    ),
    (
        "XH-SG-001",
        "沙沟古镇户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "沙沟镇",
        "沙沟镇游客服务中心",
        "33.121560",
        "119.682450",
        ["water", "rest", "charging", "toilet", "umbrella"],
        None,
        "2023-05-01",
        "open",
    ),
    (
        "XH-ZB-001",
        "中堡镇职工书屋",
        BOOK,
        "",
        "兴化市总工会",
        "中堡镇",
        "中堡镇文化站二楼",
        "33.026370",
        "119.762840",
        ["books", "water", "rest", "air-con"],
        BOOK_HOURS,
        "2022-12-01",
        "open",
    ),
    (
        "XH-DY-001",
        "钓鱼镇户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "钓鱼镇",
        "钓鱼镇汽车站旁",
        "32.927810",
        "120.014620",
        ["water", "rest", "charging", "hot-meal"],
        None,
        "2025-06-18",
        "open",
    ),
    (
        "XH-HC-001",
        "合陈镇户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "合陈镇",
        "合陈镇农贸市场北门",
        "32.981420",
        "120.041380",
        ["water", "rest", "charging"],
        None,
        "2026-03-08",
        "open",
    ),
    (
        "XH-DD-001",
        "大垛镇户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "大垛镇",
        "大垛镇供电所东侧",
        "32.986730",
        "119.934520",
        ["water", "rest", "charging", "hot-meal"],
        None,
        "2026-05-01",
        "suspended",
    ),
    (
        "XH-ZH-001",
        "竹泓镇木船文化园职工书屋",
        BOOK,
        "",
        "兴化市总工会",
        "竹泓镇",
        "竹泓镇木船文化园",
        "32.853610",
        "119.962170",
        ["books", "water", "rest"],
        BOOK_HOURS,
        "2024-04-23",
        "open",
    ),
    (
        "XH-XD-001",
        "新垛镇户外劳动者驿站",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "新垛镇",
        "新垛镇人民路环卫所",
        "32.879540",
        "120.072960",
        ["water", "rest", "hot-meal"],
        None,
        None,
        "planned",
    ),
    (
        "XH-LC-005",
        "高铁站货车司机之家",
        O24,
        "兴惠有你",
        "兴化市总工会",
        "临城街道",
        "兴化站货运停车场",
        "32.897450",
        "119.880130",
        ["water", "rest", "charging", "toilet", "hot-meal", "wifi"],
        None,
        "2025-12-01",
        "open",
    ),
    (
        "XH-ZY-006",
        "昭阳湖公园环卫驿站",
        O24,
        "兴惠有你",
        "兴化市城市管理局环卫处",
        "昭阳街道",
        "昭阳湖公园南门",
        "32.944870",
        "119.826210",
        FULL_24H,
        None,
        "2022-08-08",
        "closed",
    ),
    (
        "XH-HN-001",
        "刘泽村职工书屋",
        BOOK,
        "",
        "兴化市总工会",
        "海南镇",
        "刘泽村村史馆旁",
        "32.974620",
        "119.925310",
        ["books", "water", "rest"],
        BOOK_HOURS,
        None,
        "open",
    ),
]

# Facts the seed newsletter states (shown on the station pages as description and honours).
SEED_FACTS = {
    "XH-ZY-001": (
        "“兴惠有你”24小时户外劳动者驿站。环卫工人清扫工作繁忙，中午没有时间回家做饭，"
        "在这里能坐在桌子旁吃上热饭菜，天冷时进来歇歇脚、喝杯热水暖暖身子。",
        "",
    ),
    "XH-LC-001": ("24小时户外劳动者驿站，户外劳动者可以进站饮水、休息。", ""),
    "XH-LC-002": (
        "恒兴科技园以“为电商行业新业态劳动者‘求学提技’”为宗旨打造的300平方米职工书屋，"
        "定期开展读书分享、经典诵读、文化沙龙等职工读书活动。",
        "省级职工书屋",
    ),
    "XH-LC-003": (
        "2023年市总工会在恒兴科技园挂牌成立，开展短视频制作、电商直播培训、电商服务站站长业务指导等专题培训。",
        "",
    ),
    "XH-ZY-003": ("“7点班”职工创业就业培训基地，设在兴化市文达职业技术培训学校。", ""),
    "XH-ZY-002": (
        "职工法律维权服务阵地“老黄维权站”设在这里，提供值班律师服务和劳动纠纷调解。",
        "",
    ),
    "XH-HN-001": ("位于省级特色田园乡村海南镇刘泽村，与刘泽村村史馆相邻。", ""),
}
# Everything the seed does not state is invented for the demo: every demo record carries the
# one demo marker (``is_demo``) and the station page says what is invented.


def _description(code: str) -> tuple[str, str]:
    """(description, honours) of a demo station: the seed's words, or nothing for an invented one."""
    return SEED_FACTS.get(code, ("", ""))


STATUS_REASONS = {"suspended": "供电线路改造，暂停开放至12月底", "closed": "公园改造，已并入沧浪公园驿站"}
KEEPER_STATIONS = ["XH-ZY-001", "XH-LC-001", "XH-ZY-004"]
OCCUPATION_WEIGHTS = [
    (Visit.Occupation.SANITATION, 5),
    (Visit.Occupation.COURIER, 2),
    (Visit.Occupation.DELIVERY, 3),
    (Visit.Occupation.TRUCK, 1),
    (Visit.Occupation.OTHER, 1),
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def load(stdout) -> None:
    for order, (code, name, equipment, icon) in enumerate(AMENITIES):
        Amenity.objects.update_or_create(
            code=code, defaults={"name": name, "equipment": equipment, "icon": icon, "sort_order": order}
        )
    amenities = {a.code: a for a in Amenity.objects.all()}
    towns = {t.name: t for t in Town.objects.all()}
    orgs = {o.name: o for o in Organization.objects.all()}
    stations = {}
    for code, name, kind, brand, operator, town, address, lat, lng, codes, hours, opened, status in STATIONS:
        description, honours = _description(code)
        station, _ = Station.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "brand": brand,
                "operator": orgs.get(operator),
                "town": towns[town],
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "phone": "0523-8323" + code[-3:] if status != "planned" else "",
                "is_24h": hours is None,
                "status": status,
                "status_reason": STATUS_REASONS.get(status, ""),
                "closed_on": datetime.date(2025, 3, 31) if status == "closed" else None,
                "opened_on": datetime.date.fromisoformat(opened) if opened else None,
                "verified_at": None,  # nobody has checked invented details: the page shows no date
                "description": description,
                "honours": honours,
                "is_demo": True,
            },
        )
        station.amenities.set([amenities[c] for c in codes])
        station.hours.all().delete()
        for weekday, (opens, closes) in (hours or {}).items():
            OpeningHours.objects.create(station=station, weekday=weekday, opens=_time(opens), closes=_time(closes))
        stations[code] = station

    User = get_user_model()
    keeper = demo_user(stdout, "keeper", "陈站长", role="station_keeper", employer="兴化市城市管理局环卫处")
    if keeper:
        for code in KEEPER_STATIONS:
            stations[code].keepers.add(keeper)
    worker = User.objects.filter(username="worker").first()
    today = timezone.localdate()
    _load_inspections(stations, keeper, today)
    if worker:
        for code, score, comment in [
            ("XH-ZY-001", 5, "冬天有热水、中午能热饭，环卫姐妹们都说好。"),
            ("XH-LC-001", 5, "歇脚喝水很方便，工作人员很热情。"),
            ("XH-XJ-001", 4, ""),
        ]:
            Rating.objects.update_or_create(
                station=stations[code],
                user=worker,
                defaults={
                    "score": score,
                    "comment": comment,
                    "moderation": Rating.Moderation.APPROVED,
                    "is_demo": True,
                },
            )
    visits = _load_visits(stations, today)
    # The same numbers, with the same words, as the pages show (one definition per count).
    stdout.write(f"  {station_counts().caption}；服务设施 {len(amenities)} 项，近90天签到 {visits} 人次")


def _load_inspections(stations, keeper, today) -> None:
    plans = [
        # station, days ago, interval, broken amenity codes
        ("XH-ZY-001", 23, 30, []),
        ("XH-ZY-001", 55, 30, ["hot-meal"]),
        ("XH-LC-001", 45, 30, []),  # next due 15 days ago: overdue, the daily reminder picks it up
        ("XH-ZY-004", 10, 30, ["umbrella"]),
        ("XH-DN-001", 20, 30, []),
        ("XH-SG-001", 12, 60, []),
    ]
    # Every other open station had a routine, all-clear inspection within the last month, so
    # the demo shows one overdue station (XH-LC-001), not every station never inspected.
    planned = {code for code, *_rest in plans}
    for n, (code, station) in enumerate(sorted(stations.items())):
        if code not in planned and station.status == Station.Status.OPEN:
            plans.append((code, 3 + (n * 7) % 25, 30, []))
    for code, days_ago, interval, broken in plans:
        station = stations[code]
        on = today - datetime.timedelta(days=days_ago)
        inspection, created = Inspection.objects.get_or_create(
            station=station,
            inspected_on=on,
            defaults={
                "inspector": keeper if code in KEEPER_STATIONS else None,
                "next_due": on + datetime.timedelta(days=interval),
                "notes": "设备运行正常，卫生整洁。" if not broken else "部分设备需维修，已报市总工会。",
                "is_demo": True,
            },
        )
        if created:
            InspectionItem.objects.bulk_create(
                [
                    InspectionItem(
                        inspection=inspection,
                        amenity=amenity,
                        state=InspectionItem.State.BROKEN if amenity.code in broken else InspectionItem.State.OK,
                    )
                    for amenity in station.amenities.all()
                ]
            )


def _load_visits(stations, today) -> int:
    """Check-ins for the last 90 days, plus a lighter sample of 2024 so the year of the demo plan
    has usage figures too: the same visitors and hours every run, so reloading adds none."""
    rng = random.Random(2024)
    occupations = [code for code, weight in OCCUPATION_WEIGHTS for _ in range(weight)]
    busy = {"XH-ZY-001": 14, "XH-LC-001": 9, "XH-ZY-004": 8, "XH-XJ-001": 11, "XH-LC-005": 7, "XH-DN-001": 6}
    recent = [(f"{offset:03d}", today - datetime.timedelta(days=offset), 1) for offset in range(90)]
    year_2024 = datetime.date(2024, 1, 1)
    sample_2024 = [(f"y{n:03d}", year_2024 + datetime.timedelta(days=n), 3) for n in range(366)]
    rows = []
    for code, daily in busy.items():
        station = stations[code]
        for tag, day, thinning in recent + sample_2024:
            if station.opened_on and day < station.opened_on:
                continue
            for n in range(rng.randint(daily // 2, daily) // thinning):
                local_hour = rng.choice([6, 7, 10, 11, 12, 12, 13, 17, 18, 21])
                moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(local_hour)))
                rows.append(
                    Visit(
                        station=station,
                        visitor=f"ademo{code}{tag}{n:02d}",
                        occupation=rng.choice(occupations),
                        hour=moment,
                        day=day,
                        is_demo=True,
                    )
                )
    Visit.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Visit.objects.filter(day__gte=today - datetime.timedelta(days=89)).count()
