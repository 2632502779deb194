"""Demo data: the 2024 plan exactly as the seed lists it, with verified progress through
mid-December 2024 (a finished year: most items done, a few short of target with the reasons
given), and a 2023 plan for the archive (illustrative items, marked as such).

Idempotent: demo reports are keyed by (indicator, date, reporter), so re-running updates them in
place; demo reports on dates no longer in the schedule are removed (recognised by their text)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from apps.accounts.demo import demo_user
from apps.core import registry
from apps.core.models import Organization

from .completion import format_number
from .models import Indicator, Item, ItemEvent, Plan, ProgressReport, ResponsibilityRecord, Task
from .selectors import plan_progress

Q = Indicator.Kind.QUANTITY
M = Indicator.Kind.MILESTONE
GE, ABOUT, OVER, EQ = "at_least", "about", "over", ""
# Indicators whose actual value another app computes (linked metrics, by key); an indicator is
# linked only when the app offering the metric is installed.
METRIC_KEYS = {
    "再建“兴惠有你”24小时自助服务驿站": "stations.opened_24h",
    "技术服务活动": "innovation.service_visits",
    "解决技术难题": "innovation.problems_solved",
    "职工技能提升": "innovation.people_trained",
    "基层工会法律服务站": "legal_aid.grassroots_stations",
    "法治宣传": "legal_aid.events_held",
    "法律服务": "legal_aid.people_served",
    "“双进”宣讲": "activities.talk.held",
    "读书活动": "activities.reading.held",
    "培训职工": "activities.training.person_times",
    "康乃馨专家志愿服务": "activities.carnation.held",
    "健康体检": "benefits.checkup.delivered",
    "职业病体检": "benefits.occupational.delivered",
    "意外伤害保险": "benefits.insurance.delivered",
    "疗休养": "benefits.retreat.delivered",
    "“两癌”筛查": "benefits.screening.delivered",
}

# number, title, description (from the seed), lead unit, reporter is responsible,
# indicators: (name, kind, comparator, target, unit, share of the target reached by mid-December)
PLAN_2024 = [
    (
        1,
        "劳模“双进”宣讲",
        "开展“点亮匠心梦”劳模“双进”专场行活动，组织劳模工匠、思政教师深入基层一线，开展多形式、分层次、全覆盖的“双进”宣讲活动不少于20场。",
        "兴化市总工会宣传教育部",
        True,
        [("“双进”宣讲", Q, GE, 20, "场", "1.1")],
    ),
    (
        2,
        "书香润职工 读书活动",
        "开展书香润职工“阅读赋能成才”服务，深入开展“送书进企业、书香润职工”活动，组织各类读书活动全年不少于15场。",
        "兴化市总工会宣传教育部",
        False,
        [("读书活动", Q, GE, 15, "场", "1.0667")],
    ),
    (
        3,
        "《一线》杂志（季刊）与《匠心筑梦》",
        "继续放大“书”“刊”品牌效应，做好做实产业工人文学刊物《一线》杂志（季刊）的编辑出版工作，筹备《匠心筑梦》（第二期）组稿工作。",
        "兴化市总工会宣传教育部",
        False,
        [("《一线》杂志（季刊）出版", Q, EQ, 4, "期", "1"), ("《匠心筑梦》第二期组稿", M, EQ, None, "", None)],
    ),
    (
        4,
        "劳模工匠助企行",
        "开展“劳模工匠助企行”专项行动服务队，深入企业开展技术服务活动不少于20次，解决技术难题不少于20项，组织职工参加提升企业职工技能水平活动100余人次。",
        "兴化市总工会经济技术部",
        True,
        [
            ("技术服务活动", Q, GE, 20, "次", "1.1"),
            ("解决技术难题", Q, GE, 20, "项", "1.05"),
            ("职工技能提升", Q, OVER, 100, "人次", "1.26"),
        ],
    ),
    (
        5,
        "惠工暖心",
        "开展“惠工暖心”系列活动，培训职工不少于600人次，发布“牛助理”线上招聘信息45期，做好服务进村居培训服务，组织不少于160名一线职工参与疗休养，为600名职工赠送健康体检，为200名特种行业职工做好职业病体检，为200名货车司机、快递员等新业态劳动者赠送意外伤害保险，再建“兴惠有你”24小时自助服务驿站2个。",
        "兴化市总工会职工服务中心",
        True,
        [
            ("培训职工", Q, GE, 600, "人次", "1.08"),
            ("“牛助理”线上招聘信息", Q, EQ, 45, "期", "1"),
            ("疗休养", Q, GE, 160, "名", "1.075"),
            ("健康体检", Q, EQ, 600, "名", "1"),
            ("职业病体检", Q, EQ, 200, "名", "1"),
            ("意外伤害保险", Q, EQ, 200, "名", "1"),
            ("再建“兴惠有你”24小时自助服务驿站", Q, EQ, 2, "个", "1"),
        ],
    ),
    (
        6,
        "“智慧+普惠”平台",
        "优化“智慧+普惠”平台建设，打造集工会业务、帮扶援助、法律维权、职工普惠等一网覆盖，一网通办、一网统管的全流程一体化智慧工会综合服务平台。",
        "兴化市总工会职工服务中心",
        True,
        [("全流程一体化智慧工会综合服务平台建成", M, EQ, None, "", None)],
    ),
    (
        7,
        "职工服务中心赋能创优 幸福企业创建",
        "继续开展职工服务中心赋能创优和幸福企业创建活动，进一步提升职工的生活品质。",
        "兴化市总工会基层工作部",
        False,
        [("职工服务中心赋能创优和幸福企业创建", M, EQ, None, "", None)],
    ),
    (
        8,
        "女职工关爱",
        "开展“馨”贴“兴”手拉“守”女职工关爱服务，创新打造模式多样的青年职工交友联谊会，提供职工子女托管托育服务，为基层女职工送康乃馨专家志愿服务8场，为500名女职工提供“两癌”筛查服务。",
        "兴化市总工会女职工部",
        False,
        [("康乃馨专家志愿服务", Q, EQ, 8, "场", "0.875"), ("“两癌”筛查", Q, EQ, 500, "名", "0.872")],
    ),
    (
        9,
        "基层工会法律服务",
        "融合各乡镇、街道人社和司法所的资源优势，建立26个基层工会法律服务站，举办100场法治宣传，为1万名以上基层职工提供便捷有效的法律服务。",
        "兴化市总工会法律工作部",
        False,
        [
            ("基层工会法律服务站", Q, EQ, 26, "个", "0.7308"),
            ("法治宣传", Q, EQ, 100, "场", "0.82"),
            ("法律服务", Q, OVER, 10000, "名", "1.04"),  # the seed: "为1万名以上基层职工"
        ],
    ),
    (
        10,
        "暖“新”“5+N”综合服务",
        "实施暖“新”“5+N”综合服务行动，以创建打造2家新业态党工共建示范点为契机，大力实施新业态劳动者“铸魂增智、赋能强技、维权调处、关爱服务、建会入会”暖心关爱系列行动，为3000多名新业态群体提供多方位精准服务。",
        "兴化市总工会基层工作部",
        False,
        [("新业态党工共建示范点", Q, EQ, 2, "家", "0.5"), ("新业态群体服务", Q, OVER, 3000, "名", "0.85")],
    ),
]
MILESTONES_DONE_2024 = {
    "全流程一体化智慧工会综合服务平台建成": datetime.date(2024, 8, 20),
    "职工服务中心赋能创优和幸福企业创建": datetime.date(2024, 11, 28),
    "《匠心筑梦》第二期组稿": datetime.date(2024, 12, 10),
}
# Why the indicators that fell short did (said in their last report of the year).
SHORTFALLS_2024 = {
    "康乃馨专家志愿服务": "第8场因专家档期冲突顺延至2025年1月。",
    "“两癌”筛查": "12月批次因定点医院设备检修顺延，剩余64名女职工安排在2025年1月筛查。",
    "基层工会法律服务站": "7个乡镇司法所场地尚在协调，法律服务站建设顺延至2025年上半年。",
    "法治宣传": "四季度部分企业生产任务重，18场宣传调整至2025年一季度。",
    "新业态党工共建示范点": "第二家示范点（快递物流园）验收顺延至2025年3月。",
    "新业态群体服务": "外卖骑手集中服务活动受天气影响取消两场，全年服务2550名，未达3000名。",
}
DEMO_NARRATIVE_MARK = "已报送台账和现场照片。"
# Indicator names of earlier demo versions (the pledge says "再建'兴惠有你'24小时自助服务驿站2个").
RENAMED_INDICATORS = ["新建24小时驿站"]

# 2023: for the archive only; the seed names a few 2023 results (7点班 base, 明己书院, 89 projects).
PLAN_2023 = [
    (
        1,
        "职工技能培训7点班实践基地",
        "在恒兴科技园挂牌成立“职工技能培训7点班实践基地”。",
        "兴化市总工会经济技术部",
        [("实践基地挂牌", M, EQ, None, "", "1")],
    ),
    (
        2,
        "职工书屋“明己书院”",
        "打造300平方米的职工书屋“明己书院”，定期开展读书分享。",
        "兴化市总工会宣传教育部",
        [("职工书屋面积", Q, EQ, 300, "平方米", "1")],
    ),
    (
        3,
        "群众性技术创新",
        "开展“三十、五小”职工群众性技术创新成果评审。",
        "兴化市总工会经济技术部",
        [("技术创新项目申报", Q, GE, 80, "个", "1.1125")],
    ),
    (4, "劳模工匠宣讲", "组织劳模工匠进企业、进校园宣讲。", "兴化市总工会宣传教育部", [("宣讲", Q, GE, 15, "场", "1")]),
    (5, "职工健康体检", "为一线职工赠送健康体检。", "兴化市总工会职工服务中心", [("健康体检", Q, EQ, 500, "名", "1")]),
    (
        6,
        "户外劳动者驿站",
        "建设“兴惠有你”24小时户外劳动者驿站。",
        "兴化市总工会职工服务中心",
        [("新建驿站", Q, EQ, 2, "个", "1")],
    ),
    (
        7,
        "女职工“两癌”筛查",
        "为女职工提供“两癌”筛查服务。",
        "兴化市总工会女职工部",
        [("“两癌”筛查", Q, EQ, 400, "名", "1")],
    ),
    (
        8,
        "劳动争议“实景课堂”",
        "联合市法院举办劳动争议多元化化解“实景课堂”庭审观摩。",
        "兴化市总工会法律工作部",
        [("庭审观摩", Q, GE, 4, "期", "1")],
    ),
    (9, "职工疗休养", "组织一线职工参与疗休养。", "兴化市总工会职工服务中心", [("疗休养", Q, GE, 120, "名", "1")]),
    (
        10,
        "新业态劳动者入会",
        "推动货车司机、快递员等新业态劳动者入会。",
        "兴化市总工会基层工作部",
        [("新业态劳动者入会", Q, OVER, 2000, "名", "0.93")],
    ),
]

REPORT_MONTHS_2024 = [(3, 20), (4, 25), (5, 28), (6, 26), (7, 30), (8, 28), (9, 26), (10, 25), (11, 26), (12, 13)]
REPORT_MONTHS_2023 = [(3, 20), (5, 20), (7, 20), (9, 20), (11, 20), (12, 15)]


def _spread(total: Decimal, parts: int) -> list[Decimal]:
    """Split a whole-number total into `parts` rising amounts that add up exactly."""
    total = total.quantize(Decimal("1"))
    weights = list(range(4, parts + 4))
    amounts = [(total * w / sum(weights)).quantize(Decimal("1")) for w in weights]
    amounts[-1] += total - sum(amounts)
    return [a for a in amounts if a != 0]


def _load_plan(year, title, meeting, consecutive, summary, rows, *, responsible, verifier, months, stdout):
    plan, _ = Plan.objects.update_or_create(
        year=year,
        defaults={
            "title": title,
            "meeting": meeting,
            "consecutive_year": consecutive,
            "summary": summary,
            "published": True,
        },
    )
    units = {o.name: o for o in Organization.objects.all()}
    for row in rows:
        number, item_title, description, unit = row[0], row[1], row[2], row[3]
        assign = row[4] if len(row) == 6 else False
        indicators = row[-1]
        item, _ = Item.objects.update_or_create(
            plan=plan,
            number=number,
            defaults={
                "title": item_title,
                "description": description,
                "lead_unit": units.get(unit),
                "responsible": responsible if assign else None,
            },
        )
        item.indicators.filter(name__in=RENAMED_INDICATORS).delete()
        for order, (name, kind, comparator, target, ind_unit, share) in enumerate(indicators):
            metric_key = METRIC_KEYS.get(name, "") if registry.metric_get(METRIC_KEYS.get(name, "")) else ""
            ind, _ = Indicator.objects.update_or_create(
                item=item,
                name=name,
                defaults={
                    "kind": kind,
                    "comparator": comparator,
                    "unit": ind_unit,
                    "sort_order": order,
                    "target": Decimal(target) if target is not None else None,
                    "metric_key": metric_key,
                    "due_date": datetime.date(year, 12, 31) if kind == M else None,
                },
            )
            if metric_key:
                continue  # its actual value comes from the stations app
            if kind == Q and share:
                reached = Decimal(target) * Decimal(share)
                amounts = _spread(reached, len(months))
                dates = [datetime.date(year, m, d) for m, d in months][-len(amounts) :]
                schedule = list(zip(amounts, dates, strict=True))
            elif kind == M and (share == "1" or name in MILESTONES_DONE_2024):
                schedule = [(None, MILESTONES_DONE_2024.get(name, datetime.date(year, 10, 15)))]
            else:
                schedule = []
            # Demo reports of an earlier schedule (other dates) go, so re-running converges.
            ind.reports.filter(narrative=f"{name}已完成。", reporter=responsible).update(
                narrative=f"{name}已完成，{DEMO_NARRATIVE_MARK}"
            )  # the wording of earlier demo versions
            ind.reports.filter(
                status=ProgressReport.Status.VERIFIED, reporter=responsible, narrative__endswith=DEMO_NARRATIVE_MARK
            ).exclude(reported_on__in=[day for _amount, day in schedule]).delete()
            running = Decimal("0")
            for index, (amount, day) in enumerate(schedule):
                if amount is None:
                    narrative = f"{name}已完成，{DEMO_NARRATIVE_MARK}"
                else:
                    done = f"{name}本月完成 {format_number(amount)} {ind_unit}"
                    if index == len(schedule) - 1 and name in SHORTFALLS_2024 and year == 2024:
                        narrative = f"{done}。{SHORTFALLS_2024[name]}{DEMO_NARRATIVE_MARK}"
                    else:
                        narrative = f"{done}，{DEMO_NARRATIVE_MARK}"
                report, _ = ProgressReport.objects.update_or_create(
                    indicator=ind,
                    reported_on=day,
                    reporter=responsible,
                    status=ProgressReport.Status.VERIFIED,
                    narrative__endswith=DEMO_NARRATIVE_MARK,  # a lookup: left out when creating
                    defaults={
                        "amount": amount,
                        "milestone_done": amount is None,
                        "narrative": narrative,
                        "reviewed_by": verifier,
                        "is_demo": True,  # invented progress: labelled "演示" wherever it is shown
                    },
                )
                if amount is None:
                    old_value, new_value = "", "已完成"
                else:
                    old_value = f"{format_number(running)} {ind_unit}"
                    running += amount
                    new_value = f"{format_number(running)} {ind_unit}"
                ItemEvent.objects.update_or_create(
                    report=report,
                    kind=ItemEvent.Kind.FIGURE,
                    defaults={
                        "item": item,
                        "indicator": ind,
                        "actor": verifier,
                        "old_value": old_value,
                        "new_value": new_value,
                        "happened_on": day,
                    },
                )
    return plan


def load(stdout) -> None:
    reporter = demo_user(stdout, "reporter", "张填报", role="tenthings_reporter", employer="兴化市总工会经济技术部")
    demo_user(stdout, "verifier", "王核实", role="tenthings_verifier", employer="兴化市总工会职工服务中心")
    admin = get_user_model().objects.filter(username="admin").first()
    if reporter is None or admin is None:
        stdout.write("  十件实事：缺少演示账号 reporter/admin，跳过")
        return
    plan_2024 = _load_plan(
        2024,
        "市总工会2024年服务职工“十件实事”",
        "市总工会第十七届委员会第二次全体会议",
        6,
        "市总工会将把职工满意度作为检验工作成效的“标尺”，通过制定“作战图”，下达“任务书”，签订“责任状”，"
        "推动“十件实事”落地落细落实。",
        PLAN_2024,
        responsible=reporter,
        verifier=admin,
        months=REPORT_MONTHS_2024,
        stdout=stdout,
    )
    _load_plan(
        2023,
        "市总工会2023年服务职工“十件实事”（演示）",
        "",
        5,
        "演示数据：2023年项目为示意，用于展示往年归档。",
        PLAN_2023,
        responsible=reporter,
        verifier=admin,
        months=REPORT_MONTHS_2023,
        stdout=stdout,
    )
    for number, tasks in {
        4: [
            (
                "走进国网兴化市供电公司开展新春第一课",
                "经济技术部",
                datetime.date(2024, 3, 15),
                datetime.date(2024, 3, 8),
            ),
            (
                "劳模工匠技术难题攻关清单汇总",
                "经济技术部",
                datetime.date(2024, 10, 31),
                datetime.date(2024, 10, 29),
            ),
        ],
        5: [
            ("健康体检定点医院签约", "职工服务中心", datetime.date(2024, 4, 30), datetime.date(2024, 4, 22)),
            ("第二个24小时驿站选址建设", "职工服务中心", datetime.date(2024, 11, 30), datetime.date(2024, 9, 28)),
        ],
    }.items():
        item = Item.objects.get(plan=plan_2024, number=number)
        for what, who, due, done in tasks:
            Task.objects.update_or_create(item=item, what=what, defaults={"who": who, "due_date": due, "done_on": done})
        ResponsibilityRecord.objects.update_or_create(
            item=item,
            unit=item.lead_unit,
            defaults={"signer": item.responsible.display_name, "signed_on": datetime.date(2024, 3, 1)},
        )
    # One report waiting for staff, so the review page has something to show (reports of earlier
    # demo versions go: one on an indicator that is complete now, one on a linked indicator).
    ProgressReport.objects.filter(
        indicator__item__plan=plan_2024,
        status=ProgressReport.Status.SUBMITTED,
        narrative__in=[
            "9月下旬新增健康体检 30 名（待核实）。",
            "12月下旬垛田、昌荣两个基层工会法律服务站挂牌（待核实）。",
        ],
    ).delete()
    talks = Indicator.objects.get(item__plan=plan_2024, item__number=1, name="“双进”宣讲")
    ProgressReport.objects.get_or_create(
        indicator=talks,
        reported_on=datetime.date(2024, 12, 27),
        reporter=reporter,
        status=ProgressReport.Status.SUBMITTED,
        defaults={
            "amount": Decimal("2"),
            "narrative": "12月下旬劳模工匠走进垛田、昌荣两地企业开展“双进”宣讲 2 场（待核实）。",
            "is_demo": True,
        },
    )
    for plan in Plan.objects.filter(year__in=[2023, 2024]):
        for p in plan_progress(plan).items:
            # A linked indicator reads another app's data, which may load after this one.
            if any(row.linked or row.indicator.metric_key for row in p.indicators):
                continue
            if p.item.recorded_status != p.status:
                p.item.recorded_status = p.status
                p.item.save(update_fields=["recorded_status"])
    stdout.write(
        "  十件实事：2024年 10 项（进展为演示数据，标注“演示”），2023年归档 10 项；填报人 reporter，核实人 verifier"
    )


def summary_line(year: int = 2024) -> str:
    """The plan's figures exactly as the pages show them (printed once every app has loaded,
    since linked indicators read other apps' data)."""
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return ""
    progress = plan_progress(plan)
    counts = "、".join(f"{row['label']} {row['count']}" for row in progress.status_rows() if row["count"])
    return f"{plan.year}年十件实事：全年完成率 {progress.percent_int}%，{counts}（按 {progress.as_of:%Y-%m-%d} 计算）"
