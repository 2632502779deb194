"""Demo data of the innovation app (idempotent).

From the seed: the 2023 figures (89 projects declared, 20 泰州市优秀技术创新成果奖, 7 五一劳动奖章,
13 五一创新能手), 新春第一课 at 国网兴化市供电公司 (近百人), 徐孙传 of 东华链条 (省科技专家库), the
劳模创新工作联盟, a 专项集体合同 and 《积分奖励办法》. Everything invented is flagged ``is_demo``.
The 2024 助企行 figures match the ten-things demo progress of item 4: 22 visits, 21 problems solved,
126 workers trained.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.accounts.models import User
from apps.core.models import Organization

from . import services
from .models import (
    AllianceMembership,
    Award,
    AwardLevel,
    Campaign,
    Category,
    LeaderboardConsent,
    ModelWorker,
    Phase,
    PointsRule,
    Project,
    ReviewerProfile,
    ServiceVisit,
    SpecialContract,
    Studio,
    TeamMember,
    TechProblem,
)

CATEGORIES = [
    ("xiao-faming", "小发明", "五小"),
    ("xiao-chuangzao", "小创造", "五小"),
    ("xiao-gexin", "小革新", "五小"),
    ("xiao-sheji", "小设计", "五小"),
    ("xiao-jianyi", "小建议", "五小"),
    ("tech-achievement", "技术创新成果", "三十"),
    ("rational-suggestion", "合理化建议", "三十"),
    ("operation-method", "先进操作法", "三十"),
]

# 《积分奖励办法》 (draft set for staff to change): code, description, points, split by team share.
POINTS_RULES = [
    ("declared", "申报创新项目（单位推荐）", 10, True),
    ("screened", "通过形式审查", 10, True),
    ("city_award_first", "市职工技术创新成果一等奖", 100, True),
    ("city_award_second", "市职工技术创新成果二等奖", 80, True),
    ("city_award_third", "市职工技术创新成果三等奖", 60, True),
    ("city_award_excellent", "市职工技术创新成果优秀奖", 30, True),
    ("taizhou_award", "泰州市优秀技术创新成果奖", 150, True),
    ("province_award", "省级技术创新奖项", 200, True),
    ("national_award", "国家级技术创新奖项", 300, True),
    ("person_award", "五一劳动奖章、五一创新能手等个人荣誉", 100, False),
    ("patent_granted", "获授权专利", 50, True),
    ("suggestion_adopted", "合理化建议被采纳", 5, False),
    ("problem_solved", "为企业解决技术难题（企业确认）", 40, False),
    ("training_attended", "参加职工技能提升培训", 2, False),
]

SUBJECTS = [
    "10kV配电线路",
    "链条热处理炉",
    "变电站巡检",
    "电能计量箱",
    "链板冲压模具",
    "输电线路防鸟",
    "装配流水线",
    "环卫作业车辆",
    "开关柜",
    "销轴自动上料",
    "低压台区",
    "滚子淬火",
    "电缆沟",
]
ACTIONS = [
    "带电作业工具改进",
    "节能改造",
    "智能监测装置",
    "快速更换工装",
    "故障预警方法",
    "QC攻关",
    "安全防护装置",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海峰", "立新", "志强", "春华", "卫东", "国庆", "晓东", "金林", "红兵", "雪梅", "玉兰"]
EMPLOYERS = ["国网兴化市供电公司", "东华链条兴化有限公司", "恒兴科技园", "兴化市城市管理局环卫处"]


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def _titles(n: int) -> list[str]:
    titles = []
    for i in range(n):
        subject = SUBJECTS[i % len(SUBJECTS)]
        action = ACTIONS[(i // len(SUBJECTS) + i) % len(ACTIONS)]
        titles.append(f"{subject}{action}")
    seen, unique = {}, []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        unique.append(title if seen[title] == 1 else f"{title}（{seen[title]}）")
    return unique


def _orgs() -> dict[str, Organization]:
    for name in EMPLOYERS:
        Organization.objects.get_or_create(name=name, defaults={"kind": Organization.Kind.EMPLOYER})
    return {o.name: o for o in Organization.objects.all()}


@transaction.atomic
def load(stdout) -> None:
    orgs = _orgs()
    for order, (code, name, group) in enumerate(CATEGORIES):
        Category.objects.update_or_create(code=code, defaults={"name": name, "group": group, "sort_order": order})
    categories = list(Category.objects.order_by("sort_order"))
    for code, description, points, split in POINTS_RULES:
        PointsRule.objects.get_or_create(
            code=code, defaults={"description": description, "points": points, "split_by_share": split}
        )

    stdout.write("  技术创新演示账号：")
    demo_user(stdout, "reviewer", "徐工程师", role="reviewer", employer="东华链条兴化有限公司")
    demo_user(stdout, "reviewer2", "周高工", role="reviewer", employer="国网兴化市供电公司")
    demo_user(stdout, "reviewer3", "钱教授", role="reviewer", employer="兴化市文达职业技术培训学校")
    demo_user(stdout, "reviewer4", "孙工", role="reviewer", employer="恒兴科技园")
    demo_user(stdout, "innovofficer", "经技部小陆", role="innovation_officer", employer="兴化市总工会经济技术部")
    demo_user(stdout, "entunion", "供电工会老冯", role="enterprise_union", employer="国网兴化市供电公司")
    demo_user(stdout, "innovator", "王班长", employer="国网兴化市供电公司")
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["reviewer", "reviewer2", "reviewer3", "reviewer4", "innovofficer", "entunion", "innovator"]
        )
    }
    for username in ("reviewer", "reviewer2", "reviewer3", "reviewer4"):
        user = users[username]
        profile, created = ReviewerProfile.objects.get_or_create(
            user=user, defaults={"employer": user.employer, "titles": "高级工程师", "max_load": 20, "is_demo": True}
        )
        if created:
            profile.specialties.set(categories[:: 2 if username in ("reviewer", "reviewer3") else 3])
    ReviewerProfile.objects.filter(user=users["reviewer"]).update(titles="泰州突贡专家、省科技专家库成员")
    LeaderboardConsent.objects.get_or_create(user=users["innovator"], defaults={"show_name": True, "is_demo": True})

    _campaign_2023(stdout, orgs, categories)
    _campaign_2024(stdout, orgs, categories, users)
    _campaign_current(stdout, categories)
    _people_and_studios(stdout, orgs, users)
    _service_2024(stdout, orgs, users)
    _contract(stdout, orgs)


def _campaign_2023(stdout, orgs, categories) -> None:
    """The 2023 campaign, published; its public figures are exactly those of the seed."""
    campaign = Campaign.objects.filter(year=2023).first()
    if campaign is None:
        campaign = services.campaign_create(
            year=2023,
            name="2023年“三十、五小”职工群众性技术创新成果评审",
            entry_opens=datetime.date(2023, 3, 1),
            entry_closes=datetime.date(2023, 6, 30),
            categories=categories,
            taizhou_quota=20,
            is_demo=True,
        )
        Campaign.objects.filter(pk=campaign.pk).update(phase=Phase.PUBLISHED)
    if campaign.projects.exists():
        stdout.write("  2023年创新活动已存在")
        return
    titles = _titles(89)
    employers = [orgs[name] for name in EMPLOYERS]
    submitted = timezone.make_aware(datetime.datetime(2023, 6, 20, 10, 0))
    projects = Project.objects.bulk_create(
        Project(
            campaign=campaign,
            category=categories[i % len(categories)],
            title=title,
            summary=f"{title}，在班组推广应用后提高了效率、降低了成本。",
            employer=employers[i % len(employers)],
            problem="现场作业效率低、存在安全隐患。",
            solution="班组QC小组攻关，改进工装并制定作业指导书。",
            money_saved=Decimal(5 + (i * 37) % 60),
            money_method="按年节约工时与材料费用测算。",
            usage=Project.Usage.IN_USE,
            source_tags=[["key_task", "overhaul", "upgrade", "team_mgmt", "qc"][i % 5]],
            is_confidential=i in (5, 17, 60),
            status=Project.Status.AWARDED if i < 30 else Project.Status.NOT_AWARDED,
            submitted_at=submitted,
            is_demo=True,
        )
        for i, title in enumerate(titles)
    )
    TeamMember.objects.bulk_create(
        TeamMember(project=p, name=_name(i), role=TeamMember.Role.FIRST, share=100, is_demo=True)
        for i, p in enumerate(projects)
    )
    levels = [AwardLevel.FIRST] * 3 + [AwardLevel.SECOND] * 6 + [AwardLevel.THIRD] * 9 + [AwardLevel.EXCELLENT] * 12
    awards = [
        Award(kind=Award.Kind.CITY, level=level, year=2023, issuer="兴化市总工会", project=projects[i], is_demo=True)
        for i, level in enumerate(levels)
    ]
    awards += [
        Award(kind=Award.Kind.TAIZHOU_PROJECT, year=2023, issuer="泰州市总工会", project=projects[i], is_demo=True)
        for i in range(20)
    ]
    awards += [
        Award(
            kind=Award.Kind.WUYI_MEDAL,
            year=2023,
            issuer="泰州市总工会",
            recipient_name=_name(100 + i),
            recipient_employer=EMPLOYERS[i % len(EMPLOYERS)],
            is_demo=True,
        )
        for i in range(7)
    ]
    awards += [
        Award(
            kind=Award.Kind.WUYI_INNOVATOR,
            year=2023,
            issuer="泰州市总工会",
            recipient_name=_name(200 + i),
            recipient_employer=EMPLOYERS[i % len(EMPLOYERS)],
            is_demo=True,
        )
        for i in range(13)
    ]
    Award.objects.bulk_create(awards)
    stdout.write("  2023年创新活动：申报 89 项，泰州市优秀技术创新成果奖 20 项，五一劳动奖章 7 人，五一创新能手 13 人")


def _campaign_2024(stdout, orgs, categories, users) -> None:
    """The 2024 campaign in 专家评审: projects at every earlier step, reviews under way."""
    if Campaign.objects.filter(year=2024).exists():
        stdout.write("  2024年创新活动已存在")
        return
    campaign = services.campaign_create(
        year=2024,
        name="2024年“三十、五小”职工群众性技术创新成果评审",
        entry_opens=datetime.date(2024, 3, 1),
        entry_closes=datetime.date(2024, 9, 30),
        review_due=datetime.date(2024, 11, 15),
        categories=categories,
        min_reviewers=3,
        quota_first=2,
        quota_second=4,
        quota_third=6,
        quota_excellent=8,
        taizhou_quota=20,
        is_demo=True,
    )
    officer, union, innovator = users["innovofficer"], users["entunion"], users["innovator"]
    employers = [orgs[name] for name in EMPLOYERS]
    titles = [
        "配电网故障快速定位装置",
        "链条自动装配线视觉检测",
        "低压台区智能巡检机器人",
        "环卫车辆油耗监测小改造",
        "电能表批量校验工装",
        "链板冲压废料回收利用",
        "变电站防小动物封堵新方法",
        "输电线路防鸟刺安装工具",
    ]
    projects = []
    for i, title in enumerate(titles):
        employer = employers[i % len(employers)]
        project = Project.objects.create(
            campaign=campaign,
            category=categories[i % 4],
            title=title,
            summary=f"{title}，已在班组试用。",
            employer=employer,
            owner=innovator if employer == innovator.employer else None,
            problem="原有作业方式费时费力，存在安全风险。",
            solution="自制工装和监测装置，优化作业流程，编制作业指导书。",
            money_saved=Decimal(8 + i * 3),
            money_method="节约工时 × 人工成本 + 节约材料费用。",
            usage=Project.Usage.TRIAL,
            source_tags=["qc", "upgrade"] if i % 2 else ["key_task"],
            status=Project.Status.ENDORSED,
            submitted_at=timezone.make_aware(datetime.datetime(2024, 9, 1 + i, 9, 0)),
            is_demo=True,
        )
        TeamMember.objects.create(
            project=project,
            name=innovator.display_name if project.owner_id else _name(300 + i),
            user=innovator if project.owner_id else None,
            role=TeamMember.Role.FIRST,
            share=60,
            is_demo=True,
        )
        TeamMember.objects.create(
            project=project, name=_name(400 + i), role=TeamMember.Role.MAIN, share=40, is_demo=True
        )
        projects.append(project)
    Campaign.objects.filter(pk=campaign.pk).update(phase=Phase.SCREENING)
    for project in projects[:6]:
        if project.owner_id:
            services.points_for_project(project=project, rule_code="declared", by=union)
        services.project_screen(project=project, by=officer)
    campaign.refresh_from_db()
    campaign = services.campaign_phase_advance(campaign=campaign, by=officer)  # 专家评审
    services.assignments_auto(campaign=campaign, by=officer)
    # Two experts other than 徐工程师 have submitted some reviews; his queue is still to do.
    from .models import ReviewAssignment

    for a in ReviewAssignment.objects.filter(project__campaign=campaign).exclude(reviewer=users["reviewer"]):
        base = 6 + (a.project_id + a.reviewer_id) % 4
        criteria = list(campaign.criteria.all())
        services.review_save(
            assignment=a,
            reviewer=a.reviewer,
            scores={c.pk: base + (k % 2) for k, c in enumerate(criteria) if not c.independent},
            options={c.pk: "可" for c in criteria if c.independent},
            private_comment="创新点明确，效益测算基本可信。",
            submit=a.project_id % 3 != 0,
        )
    services.ranking_compute(campaign=campaign)  # an interim ranking for the officer's page
    stdout.write("  2024年创新活动：专家评审中（演示）")


def _campaign_current(stdout, categories) -> None:
    """A campaign of the current year open for entries, so the declaration can be tried."""
    today = timezone.localdate()
    if today.year <= 2024 or Campaign.objects.filter(year=today.year).exists():
        return
    services.campaign_create(
        year=today.year,
        name=f"{today.year}年“三十、五小”职工群众性技术创新成果评审（演示）",
        entry_opens=today - datetime.timedelta(days=30),
        entry_closes=today + datetime.timedelta(days=30),
        categories=categories,
        is_demo=True,
    )
    stdout.write(f"  {today.year}年创新活动：申报中（演示）")


def _people_and_studios(stdout, orgs, users) -> None:
    xu, _created = ModelWorker.objects.get_or_create(
        name="徐孙传",
        defaults={
            "employer": orgs["东华链条兴化有限公司"],
            "honours": "泰州突贡专家、省科技专家库成员",
            "specialties": "链条制造、群众性经济技术创新",
            "public_consent": True,
            "service_team": True,
            "speaker": True,
        },
    )
    people = [xu]
    for i, (name, employer, honours) in enumerate(
        [
            ("陆志强", "国网兴化市供电公司", "泰州市五一劳动奖章"),
            ("顾春华", "国网兴化市供电公司", "兴化工匠"),
            ("蒋卫东", "恒兴科技园", "泰州市五一创新能手"),
            ("沈金林", "东华链条兴化有限公司", "兴化市劳动模范"),
        ]
    ):
        worker, _created = ModelWorker.objects.get_or_create(
            name=name,
            defaults={
                "employer": orgs[employer],
                "honours": honours,
                "public_consent": True,
                "service_team": True,
                "speaker": i % 2 == 0,
                "is_demo": True,
                "user": users["reviewer2"] if i == 0 else None,
            },
        )
        people.append(worker)
    studios = [
        (
            "东华链条劳模创新工作室",
            people[4],
            "东华链条兴化有限公司",
            Studio.Level.TAIZHOU,
            "链条制造",
            AllianceMembership.Role.CHAIR,
        ),
        (
            "供电工匠创新工作室",
            people[1],
            "国网兴化市供电公司",
            Studio.Level.CITY,
            "配电运维",
            AllianceMembership.Role.VICE,
        ),
        ("恒兴技能大师工作室", people[3], "恒兴科技园", Studio.Level.CITY, "机械加工", AllianceMembership.Role.MEMBER),
    ]
    for name, leader, employer, level, field, role in studios:
        studio, created = Studio.objects.get_or_create(
            name=name,
            defaults={
                "leader": leader,
                "employer": orgs[employer],
                "level": level,
                "field": field,
                "founded": datetime.date(2021, 5, 1),
                "is_demo": True,
            },
        )
        if created:
            studio.members.set([leader, people[0]])
            AllianceMembership.objects.create(studio=studio, joined=datetime.date(2023, 4, 28), role=role, is_demo=True)
    stdout.write("  劳模工匠 5 人，创新工作室 3 个（劳模创新工作联盟）")


def _service_2024(stdout, orgs, users) -> None:
    """助企行 in 2024: 22 visits (新春第一课 with 98 trained), 21 problems solved, 126 people trained."""
    if ServiceVisit.objects.filter(date__year=2024).exists():
        stdout.write("  2024年助企行已存在")
        return
    team = list(ModelWorker.objects.filter(service_team=True))
    first = ServiceVisit.objects.create(
        date=datetime.date(2024, 3, 8),
        enterprise=orgs["国网兴化市供电公司"],
        topic="新春第一课：群众性经济技术创新活动专题培训",
        workers_trained=98,
        note="部门负责人、班组QC骨干、各供电所班组长、青年职工近百人参加；徐孙传（省科技专家库成员）授课。",
    )
    first.team.set([w for w in team if w.name == "徐孙传"])
    employers = [orgs[name] for name in EMPLOYERS]
    topics = [
        "设备故障诊断",
        "工艺改进指导",
        "QC小组辅导",
        "节能降耗咨询",
        "安全生产技术服务",
        "技能比武指导",
        "新工人带徒",
    ]
    for i in range(21):
        visit = ServiceVisit.objects.create(
            date=datetime.date(2024, 3 + i // 3, 10 + i % 3 * 5),
            enterprise=employers[i % len(employers)],
            topic=topics[i % len(topics)],
            workers_trained=4 if i < 7 else 0,
            is_demo=True,
        )
        visit.team.set(team[i % len(team) : i % len(team) + 2])
    union = users["entunion"]
    for i in range(21):
        TechProblem.objects.create(
            enterprise=employers[i % len(employers)],
            title=f"{SUBJECTS[i % len(SUBJECTS)]}{['异常发热', '磨损过快', '效率偏低'][i % 3]}问题",
            posted_on=datetime.date(2024, 2 + i // 3, 5),
            posted_by=union,
            status=TechProblem.Status.SOLVED,
            claimed_by_worker=team[i % len(team)],
            claimed_on=datetime.date(2024, 2 + i // 3, 12),
            solved_on=datetime.date(2024, 3 + i // 3, 20),
            confirmed_by=union,
            outcome="企业确认已解决。",
            is_demo=True,
        )
    today = timezone.localdate()
    for title, status in [
        ("配电房潮湿导致设备锈蚀", TechProblem.Status.POSTED),
        ("链条销轴热处理变形控制", TechProblem.Status.CLAIMED),
        ("环卫车液压系统频繁漏油", TechProblem.Status.IN_PROGRESS),
    ]:
        TechProblem.objects.create(
            enterprise=orgs["国网兴化市供电公司"] if "配电" in title else employers[1],
            title=title,
            posted_on=today - datetime.timedelta(days=40),
            posted_by=union,
            status=status,
            claimed_by_worker=team[0] if status != TechProblem.Status.POSTED else None,
            claimed_on=today - datetime.timedelta(days=20) if status != TechProblem.Status.POSTED else None,
            is_demo=True,
        )
    stdout.write("  2024年助企行：技术服务 22 次，解决难题 21 项，培训 126 人次")


def _contract(stdout, orgs) -> None:
    SpecialContract.objects.get_or_create(
        enterprise=orgs["国网兴化市供电公司"],
        signed_on=datetime.date(2024, 1, 18),
        defaults={
            "term_years": 3,
            "fund": Decimal("50.00"),
            "reward_ratio": "成果转化年效益的 5%–10% 奖励完成人",
            "ip_terms": "职务发明专利归企业所有，完成人享有署名权和奖励。",
            "is_demo": True,
        },
    )
    stdout.write("  专项集体合同 1 份")
