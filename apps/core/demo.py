"""Demo data of core: the towns and streets of Xinghua, the units named in the seed, and the
statutory holidays and make-up working days of the demo years (from the State Council's yearly
notices; staff add each new year's in the admin)."""

import datetime

from .models import CalendarDay, Organization, Town

TOWNS = [
    ("昭阳街道", Town.Kind.STREET),
    ("临城街道", Town.Kind.STREET),
    ("垛田街道", Town.Kind.STREET),
    ("戴南镇", Town.Kind.TOWN),
    ("张郭镇", Town.Kind.TOWN),
    ("戴窑镇", Town.Kind.TOWN),
    ("合陈镇", Town.Kind.TOWN),
    ("永丰镇", Town.Kind.TOWN),
    ("新垛镇", Town.Kind.TOWN),
    ("安丰镇", Town.Kind.TOWN),
    ("海南镇", Town.Kind.TOWN),
    ("钓鱼镇", Town.Kind.TOWN),
    ("大邹镇", Town.Kind.TOWN),
    ("沙沟镇", Town.Kind.TOWN),
    ("中堡镇", Town.Kind.TOWN),
    ("李中镇", Town.Kind.TOWN),
    ("西郊镇", Town.Kind.TOWN),
    ("缸顾乡", Town.Kind.TOWN),
    ("大垛镇", Town.Kind.TOWN),
    ("荻垛镇", Town.Kind.TOWN),
    ("陶庄镇", Town.Kind.TOWN),
    ("昌荣镇", Town.Kind.TOWN),
    ("茅山镇", Town.Kind.TOWN),
    ("周庄镇", Town.Kind.TOWN),
    ("陈堡镇", Town.Kind.TOWN),
    ("竹泓镇", Town.Kind.TOWN),
]

ORGANIZATIONS = [
    ("兴化市总工会", "市总工会", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会宣传教育部", "宣传教育部", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会法律工作部", "法律工作部", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会经济技术部", "经济技术部", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会女职工部", "女职工部", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会基层工作部", "基层工作部", Organization.Kind.UNION, "昭阳街道"),
    ("兴化市总工会职工服务中心", "职工服务中心", Organization.Kind.UNION, "昭阳街道"),
    ("国网兴化市供电公司", "兴化供电公司", Organization.Kind.EMPLOYER, "临城街道"),
    ("东华链条兴化有限公司", "东华链条", Organization.Kind.EMPLOYER, "戴南镇"),
    ("恒兴科技园", "恒兴科技园", Organization.Kind.EMPLOYER, "临城街道"),
    ("兴化市文达职业技术培训学校", "文达培训学校", Organization.Kind.SOCIAL, "昭阳街道"),
    ("兴化市人民法院", "市法院", Organization.Kind.GOVERNMENT, "昭阳街道"),
    ("兴化市人力资源和社会保障局", "市人社局", Organization.Kind.GOVERNMENT, "昭阳街道"),
    ("兴化市司法局", "市司法局", Organization.Kind.GOVERNMENT, "昭阳街道"),
    ("兴化市城市管理局环卫处", "环卫处", Organization.Kind.GOVERNMENT, "昭阳街道"),
]


# (name, first holiday, last holiday, make-up working days)
HOLIDAYS = {
    2024: [
        ("元旦", "2024-01-01", "2024-01-01", ()),
        ("春节", "2024-02-10", "2024-02-17", ("2024-02-04", "2024-02-18")),
        ("清明节", "2024-04-04", "2024-04-06", ("2024-04-07",)),
        ("劳动节", "2024-05-01", "2024-05-05", ("2024-04-28", "2024-05-11")),
        ("端午节", "2024-06-10", "2024-06-10", ()),
        ("中秋节", "2024-09-15", "2024-09-17", ("2024-09-14",)),
        ("国庆节", "2024-10-01", "2024-10-07", ("2024-09-29", "2024-10-12")),
    ],
    2025: [
        ("元旦", "2025-01-01", "2025-01-01", ()),
        ("春节", "2025-01-28", "2025-02-04", ("2025-01-26", "2025-02-08")),
        ("清明节", "2025-04-04", "2025-04-06", ()),
        ("劳动节", "2025-05-01", "2025-05-05", ("2025-04-27",)),
        ("端午节", "2025-05-31", "2025-06-02", ()),
        ("国庆节、中秋节", "2025-10-01", "2025-10-08", ("2025-09-28", "2025-10-11")),
    ],
    2026: [
        ("元旦", "2026-01-01", "2026-01-03", ("2026-01-04",)),
        ("春节", "2026-02-15", "2026-02-23", ("2026-02-14", "2026-02-28")),
        ("清明节", "2026-04-04", "2026-04-06", ()),
        ("劳动节", "2026-05-01", "2026-05-05", ("2026-05-09",)),
        ("端午节", "2026-06-19", "2026-06-21", ()),
        ("中秋节", "2026-09-25", "2026-09-27", ()),
        ("国庆节", "2026-10-01", "2026-10-07", ("2026-09-20", "2026-10-10")),
    ],
}


def calendar_days():
    """(day, kind, name) of every holiday and make-up day above."""
    for holidays in HOLIDAYS.values():
        for name, first, last, workdays in holidays:
            day, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
            while day <= end:
                yield day, CalendarDay.Kind.HOLIDAY, name
                day += datetime.timedelta(days=1)
            for workday in workdays:
                yield datetime.date.fromisoformat(workday), CalendarDay.Kind.WORKDAY, f"{name}调休"


def load(stdout) -> None:
    for order, (name, kind) in enumerate(TOWNS):
        Town.objects.update_or_create(name=name, defaults={"kind": kind, "sort_order": order})
    towns = {t.name: t for t in Town.objects.all()}
    for name, short, kind, town in ORGANIZATIONS:
        Organization.objects.update_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "town": towns[town]}
        )
    days = 0
    for day, kind, name in calendar_days():
        CalendarDay.objects.update_or_create(day=day, defaults={"kind": kind, "name": name})
        days += 1
    stdout.write(f"  乡镇/街道 {len(TOWNS)} 个，单位 {len(ORGANIZATIONS)} 家，节假日与调休 {days} 天")
