"""Demo data of core: the towns and streets of Xinghua and the units named in the seed."""

from .models import Organization, Town

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


def load(stdout) -> None:
    for order, (name, kind) in enumerate(TOWNS):
        Town.objects.update_or_create(name=name, defaults={"kind": kind, "sort_order": order})
    towns = {t.name: t for t in Town.objects.all()}
    for name, short, kind, town in ORGANIZATIONS:
        Organization.objects.update_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "town": towns[town]}
        )
    stdout.write(f"  乡镇/街道 {len(TOWNS)} 个，单位 {len(ORGANIZATIONS)} 家")
