"""Demo data of membership: the union hierarchy (the city union, the towns' unions, the seed's
enterprise unions and a 快递行业工会), union staff, a few members and pending applications.
Every record it makes is marked demo (``is_demo``); rerunning changes nothing."""

import datetime

from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.accounts.models import Occupation
from apps.core.models import Organization, Town, UnionStaff
from apps.core.workdays import add_working_days

from .models import Application, LedgerEntry, Member, UnionSetupRequest
from .services import member_number_issue

CITY = "兴化市总工会"
COURIER_UNION = "兴化市快递行业工会"
# (union, short name, parent town union's town, covered employers)
ENTERPRISE_UNIONS = [
    ("国网兴化市供电公司工会", "供电公司工会", "临城街道", ["国网兴化市供电公司"]),
    ("东华链条兴化有限公司工会", "东华链条工会", "戴南镇", ["东华链条兴化有限公司"]),
    ("恒兴科技园联合工会", "恒兴科技园工会", "临城街道", ["恒兴科技园"]),
]
# Demo workers: (username, name, occupation, town, employer, phone, state)
PEOPLE = [
    ("courier_liu", "刘晓明", Occupation.COURIER, "昭阳街道", "", "17705230001", "member"),
    ("chain_wang", "王芳", Occupation.FACTORY, "戴南镇", "东华链条兴化有限公司", "17705230002", "member"),
    ("courier_zhang", "张伟", Occupation.COURIER, "临城街道", "", "17705230003", "overdue"),
    ("rider_chen", "陈静", Occupation.DELIVERY, "戴南镇", "", "17705230004", "pending"),
    ("driver_zhou", "周强", Occupation.RIDE_HAILING, "垛田街道", "", "17705230005", "returned"),
]


def _union(name, **fields):
    union, created = Organization.objects.get_or_create(
        name=name, defaults={"kind": Organization.Kind.UNION, "is_demo": True, **fields}
    )
    return union


def load(stdout) -> None:
    city = Organization.objects.filter(name=CITY).first() or _union(CITY, short_name="市总工会")
    if city.union_level != Organization.UnionLevel.CITY:
        city.union_level = Organization.UnionLevel.CITY
        city.save(update_fields=["union_level", "updated_at"])
    Organization.objects.filter(kind=Organization.Kind.UNION, name__startswith=f"{CITY}", union_level="").exclude(
        pk=city.pk
    ).update(union_level=Organization.UnionLevel.DEPARTMENT, parent=city)
    town_unions = {}
    for town in Town.objects.all():
        town_unions[town.name] = _union(
            f"{town.name}总工会",
            short_name=f"{town.name}工会",
            union_level=Organization.UnionLevel.TOWN,
            town=town,
            parent=city,
        )
    courier_union = _union(
        COURIER_UNION,
        short_name="快递行业工会",
        union_level=Organization.UnionLevel.INDUSTRY,
        industry=Occupation.COURIER,
        parent=city,
        town=Town.objects.filter(name="昭阳街道").first(),
    )
    enterprise = {}
    for name, short, town_name, covered in ENTERPRISE_UNIONS:
        parent = town_unions.get(town_name, city)
        union = _union(
            name,
            short_name=short,
            union_level=Organization.UnionLevel.GRASSROOTS,
            parent=parent,
            town=parent.town,
        )
        enterprise[name] = union
        Organization.objects.filter(name__in=covered, covered_by__isnull=True).update(covered_by=union)

    officer = demo_user(stdout, "moffice", "孙主任", role="membership_officer", employer=CITY)
    staff = [
        (demo_user(stdout, "kuaidi", "赵干事", role="union_staff", employer=COURIER_UNION), courier_union),
        (demo_user(stdout, "dainan", "钱干事", role="union_staff", town="戴南镇"), town_unions.get("戴南镇")),
        (
            demo_user(stdout, "donghua", "李干事", role="union_staff", employer="东华链条兴化有限公司"),
            enterprise["东华链条兴化有限公司工会"],
        ),
    ]
    for user, union in staff:
        if union is not None:
            UnionStaff.objects.get_or_create(union=union, user=user, defaults={"is_demo": True})

    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for username, name, occupation, town_name, employer_name, phone, state in PEOPLE:
        person = demo_user(stdout, username, name, employer=employer_name, town=town_name)
        if not person.phone_verified:
            person.phone, person.phone_verified, person.occupation = phone, True, occupation
            person.save(update_fields=["phone", "phone_verified", "occupation"])
        if Application.objects.filter(person=person).exists():
            continue
        from .services import route_for

        employer = Organization.objects.filter(name=employer_name).first() if employer_name else None
        town = Town.objects.get(name=town_name)
        choice = route_for(employer=employer, occupation=occupation, town=town)
        days_ago = {"member": 40, "overdue": 8, "pending": 1, "returned": 5}[state]
        submitted = now - datetime.timedelta(days=days_ago)
        application = Application(
            person=person,
            real_name=name,
            employer=employer,
            employer_name=""
            if employer
            else {"courier": "中通快递兴化网点", "delivery": "美团众包", "ride_hailing": "滴滴出行"}.get(
                occupation, "个体"
            ),
            occupation=occupation,
            town=town,
            consent_at=submitted,
            union=choice.union,
            route=choice.route,
            route_reason=choice.reason,
            submitted_at=submitted,
            due_on=add_working_days(timezone.localtime(submitted).date(), 3),
            is_demo=True,
        )
        if state == "member":
            member = Member.objects.create(
                person=person,
                real_name=name,
                phone=phone,
                union=choice.union,
                number=member_number_issue(today.year),
                since=timezone.localtime(submitted + datetime.timedelta(days=2)).date(),
                occupation=occupation,
                town=town,
                employer=employer,
                employer_name=application.employer_name,
                is_demo=True,
            )
            application.state, application.member = Application.State.ACCEPTED, member
            application.decided_at = submitted + datetime.timedelta(days=2)
            application.save()
            LedgerEntry.objects.create(
                member=member,
                kind=LedgerEntry.Kind.JOINED,
                at=application.decided_at,
                to_union=choice.union,
                application=application,
                is_demo=True,
            )
        elif state == "returned":
            application.state = Application.State.RETURNED
            application.return_reason = "工作单位请填写平台或所在车队的全称。"
            application.decided_at = submitted + datetime.timedelta(days=1)
            application.save()
        else:
            application.save()
        made += 1
    if not UnionSetupRequest.objects.filter(employer_name="兴化市顺达物流有限公司").exists():
        town = Town.objects.get(name="戴南镇")
        UnionSetupRequest.objects.create(
            employer_name="兴化市顺达物流有限公司",
            size=46,
            contact_name="吴经理",
            contact_phone="0523-8321xxxx",
            town=town,
            town_union=town_unions.get("戴南镇", city),
            requested_by=officer,
            due_on=add_working_days(today, 5),
            is_demo=True,
        )
    stdout.write(
        f"  入会与会员：工会 {Organization.objects.filter(kind='union').count()} 个（含快递行业工会和乡镇工会），"
        f"会员 {Member.objects.count()} 名，待办入会申请 {Application.objects.open().count()} 份（本次新建 {made} 份）"
    )
