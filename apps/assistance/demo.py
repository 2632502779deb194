"""Demo data of 帮扶援助: a handful of invented requests at different states, one in its 公示,
the 帮扶中心 officer ``helpofficer``; caseworkers are the membership demo's union staff. Every
record is marked ``is_demo`` (the pages label it 演示)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.core.models import Town

from .models import Document, Event, HelpRequest, HomeVisit, LedgerEntry
from .services import publicity_window, union_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EMPLOYER = "东华链条兴化有限公司"
S = HelpRequest.State

# username, name, town, state, reason, asked help, band, story
CASES = [
    (
        "kunnan1",
        "刘建国",
        "戴南镇",
        S.PUBLICITY,
        "illness",
        "medical",
        "deep",
        "妻子患尿毒症长期透析，两个孩子上学，家庭收入主要靠本人工资。",
    ),
    (
        "kunnan2",
        "王秀英",
        "昭阳街道",
        S.SUBMITTED,
        "schooling",
        "schooling",
        "",
        "女儿考上大学，丈夫去年因工受伤无法工作，学费暂时凑不齐。",
    ),
    (
        "kunnan3",
        "陈志强",
        "戴南镇",
        S.ACCEPTED,
        "accident",
        "living",
        "",
        "家中房屋夜间失火，衣物家具损毁，暂住亲戚家。",
    ),
    (
        "kunnan4",
        "张桂兰",
        "昭阳街道",
        S.HELPED,
        "disability",
        "living",
        "relative",
        "本人二级肢体残疾，丈夫打零工，母亲年迈多病。",
    ),
    ("kunnan5", "周文斌", "戴南镇", S.RETURNED, "other", "living", "", "本人失业半年，家中老人需要照顾。"),
]


def _event(hr, state, when, note=""):
    Event.objects.create(request=hr, state=state, at=when, note=note)


@transaction.atomic
def load(stdout) -> None:
    officer = demo_user(stdout, "helpofficer", "吴主任", role="assistance_officer", employer="兴化市总工会")
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for username, name, town_name, state, reason, asked, band, story in CASES:
        person = demo_user(stdout, username, name, employer=EMPLOYER, town=town_name)
        if HelpRequest.objects.filter(applicant=person).exists():
            continue
        town = Town.objects.filter(name=town_name).first()
        union, why = union_for(person, town)
        submitted = now - datetime.timedelta(days=40 if state == S.HELPED else 12)
        hr = HelpRequest.objects.create(
            applicant=person,
            filed_by=person,
            applicant_name=name,
            phone=f"1390523{made:04d}",
            town=town,
            employer_name=EMPLOYER,
            union=union,
            union_reason=why,
            household_size=4,
            household_members="配偶、子女两人",
            income_band="below_dibao" if band == "deep" else "dibao_1_5",
            reason=reason,
            story=story,
            asked_help=asked,
            consent_at=submitted,
            financial_consent_at=submitted,
            health_consent_at=submitted if reason in ("illness", "disability") else None,
            state=S.SUBMITTED,
            submitted_at=submitted,
            is_demo=True,
        )
        _event(hr, S.SUBMITTED, submitted, why)
        Document.objects.create(request=hr, kind=Document.Kind.INCOME, file=ContentFile(PDF, name="income.pdf"))
        if state == S.RETURNED:
            hr.state, hr.return_reason = S.RETURNED, "请补充失业登记证明和家庭成员收入证明。"
            _event(hr, S.RETURNED, submitted + datetime.timedelta(days=2), hr.return_reason)
        if state in (S.ACCEPTED, S.PUBLICITY, S.HELPED):
            hr.state, hr.screened_at = S.ACCEPTED, submitted + datetime.timedelta(days=1)
            _event(hr, S.ACCEPTED, hr.screened_at, "初审通过，将安排入户调查。")
        if state in (S.PUBLICITY, S.HELPED):
            visited = (submitted + datetime.timedelta(days=3)).date()
            HomeVisit.objects.create(
                request=hr,
                visited_on=visited,
                visitor_one="李干事",
                visitor_two="钱干事",
                checklist=[key for key, _label in HomeVisit.CHECKLIST],
                notes="住房、家庭成员与申请相符，收入来源已核实。",
                is_demo=True,
            )
            for kind in (Document.Kind.APPLICATION, Document.Kind.AUTHORISATION):
                Document.objects.create(request=hr, kind=kind, file=ContentFile(PDF, name=f"{kind}.pdf"))
            _event(hr, S.VISITED, submitted + datetime.timedelta(days=3), f"已于 {visited} 入户调查。")
            hr.check_result, hr.checked_at = HelpRequest.CheckResult.MATCH, submitted + datetime.timedelta(days=6)
            _event(hr, S.CHECKED, hr.checked_at, "核对相符")
            hr.band, hr.help_kind = band, asked
        if state == S.PUBLICITY:
            hr.state = S.PUBLICITY
            hr.publicity_from, hr.publicity_until = publicity_window(today)
            _event(hr, S.PUBLICITY, now, f"公示 {hr.publicity_from} 至 {hr.publicity_until}。")
        if state == S.HELPED:
            first, last = publicity_window((submitted + datetime.timedelta(days=7)).date())
            hr.publicity_from, hr.publicity_until = first, last
            _event(hr, S.PUBLICITY, submitted + datetime.timedelta(days=7), f"公示 {first} 至 {last}。")
            hr.state, hr.decided_at, hr.decided_by = S.HELPED, submitted + datetime.timedelta(days=20), officer
            hr.help_amount, hr.help_note = Decimal("3000"), "年度生活救助"
            hr.recheck_due_on = today + datetime.timedelta(days=20)  # due within the month: the reminder
            _event(hr, S.DECIDED, hr.decided_at, hr.get_band_display())
            LedgerEntry.objects.create(
                request=hr,
                date=(hr.decided_at + datetime.timedelta(days=3)).date(),
                kind=LedgerEntry.Kind.CASH,
                amount=Decimal("3000"),
                description="年度生活救助金",
                entered_by=officer,
                is_demo=True,
            )
            _event(hr, S.HELPED, hr.decided_at + datetime.timedelta(days=3), "发放：慰问金 3000 元")
        hr.save()
        made += 1
    stdout.write(f"  帮扶援助：{made} 份演示申请（其中 1 份公示中），帮扶中心账号 helpofficer")
