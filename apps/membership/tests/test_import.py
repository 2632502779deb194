"""Day one: the union hierarchy and the member roll from Excel — preview, row report, all or
nothing, the same file twice changes nothing."""

import io

import pytest
from openpyxl import Workbook

from apps.core.models import Organization, UnionStaff
from apps.membership.excel import MEMBER_COLUMNS, UNION_COLUMNS, roll_import
from apps.membership.models import LedgerEntry, Member

from .factories import TownFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def workbook(unions=(), members=()) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "工会"
    ws.append(UNION_COLUMNS)
    for row in unions:
        ws.append(row)
    ws = book.create_sheet("会员")
    ws.append(MEMBER_COLUMNS)
    for row in members:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def towns(db):
    return TownFactory(name="戴南镇"), TownFactory(name="昭阳街道")


def good_file(staff_username="ganshi"):
    return workbook(
        unions=[
            # A child before its parent: the import settles parents after reading every row.
            [
                "东华链条兴化有限公司工会",
                "东华链条工会",
                "基层工会",
                "戴南镇总工会",
                "戴南镇",
                "",
                "东华链条兴化有限公司",
                staff_username,
            ],
            ["兴化市总工会", "市总工会", "市总工会", "", "昭阳街道", "", "", ""],
            ["戴南镇总工会", "", "乡镇/街道工会", "兴化市总工会", "戴南镇", "", "", ""],
            ["兴化市快递行业工会", "", "行业工会", "兴化市总工会", "", "快递员", "", ""],
        ],
        members=[
            [
                "王芳",
                "13900000001",
                "XH-2019-000001",
                "东华链条兴化有限公司工会",
                "2019-03-01",
                "企业职工",
                "戴南镇",
                "东华链条兴化有限公司",
            ],
            ["刘小明", "13900000002", "", "兴化市快递行业工会", "2024-06-01", "快递员", "昭阳街道", "中通快递"],
        ],
    )


def test_a_preview_reports_every_row_and_writes_nothing(towns):
    WorkerFactory(username="ganshi")
    report = roll_import(good_file(), commit=False)
    assert report.ok and not report.committed
    assert [r.outcome for r in report.rows].count("created") == 6
    assert not Organization.objects.filter(kind="union").exists() and not Member.objects.exists()


def test_an_import_builds_the_hierarchy_staff_and_roll_and_twice_changes_nothing(towns):
    staff = WorkerFactory(username="ganshi")
    report = roll_import(good_file(), commit=True)
    assert report.committed, [str(r) for r in report.rows]
    chain_union = Organization.objects.get(name="东华链条兴化有限公司工会")
    assert chain_union.parent.name == "戴南镇总工会" and chain_union.parent.parent.name == "兴化市总工会"
    assert Organization.objects.get(name="东华链条兴化有限公司").covered_by == chain_union
    assert Organization.objects.get(name="兴化市快递行业工会").industry == "courier"
    assert UnionStaff.objects.filter(
        union=chain_union, user=staff
    ).exists() and "union_staff" in staff.groups.values_list("name", flat=True)
    wang = Member.objects.get(number="XH-2019-000001")
    assert wang.union == chain_union and str(wang.since) == "2019-03-01"
    liu = Member.objects.get(real_name="刘小明")
    assert liu.number.startswith("XH-2024-")
    assert LedgerEntry.objects.filter(kind="imported").count() == 2
    counts = (
        Organization.objects.count(),
        Member.objects.count(),
        LedgerEntry.objects.count(),
        UnionStaff.objects.count(),
    )

    again = roll_import(good_file(), commit=True)
    assert again.committed and {r.outcome for r in again.rows} == {"matched"}, [str(r) for r in again.rows]
    assert counts == (
        Organization.objects.count(),
        Member.objects.count(),
        LedgerEntry.objects.count(),
        UnionStaff.objects.count(),
    )


def test_one_bad_row_refuses_the_whole_file_and_says_why(towns):
    data = workbook(
        unions=[
            ["兴化市总工会", "", "市总工会", "", "", "", "", ""],
            ["某工会", "", "联合会", "兴化市总工会", "", "", "", ""],  # no such level
            ["某行业工会", "", "行业工会", "不存在的工会", "", "", "", ""],  # no industry, unknown parent
            ["某镇工会", "", "乡镇/街道工会", "", "火星镇", "", "", "nobody"],
        ],
        members=[
            ["", "123", "", "兴化市总工会", "明天", "宇航员", "", ""],
            ["李四", "13900000003", "X1", "兴化市总工会", "2020-01-01", "", "", ""],
            ["张三", "13900000003", "X1", "兴化市总工会", "2020-01-01", "", "", ""],
        ],
    )
    report = roll_import(data, commit=True)
    assert not report.ok and not report.committed
    reasons = " ".join(r.reason for r in report.rows if r.outcome == "refused")
    for expected in (
        "层级应为",
        "须填写行业",
        "没有名为“火星镇”",
        "姓名不能为空",
        "手机号码应为 11 位",
        "入会日期应为",
        "没有名为“宇航员”的职业",
        "会员编号与第 3 行重复",
    ):
        assert expected in reasons, expected
    assert not Organization.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken"])
def test_an_unreadable_file_is_refused_with_a_message(content):
    report = roll_import(content, commit=True)
    assert not report.ok and "无法读取文件" in report.rows[0].reason


def test_the_import_page_previews_then_imports(client, towns, user_with_role):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    officer = user_with_role("membership_officer")
    WorkerFactory(username="ganshi")
    client.force_login(officer)
    upload = SimpleUploadedFile("roll.xlsx", good_file())
    body = client.post(reverse("membership:import"), {"file": upload}).content.decode()
    assert "预览（尚未导入）" in body and 'data-testid="import-confirm"' in body
    assert not Member.objects.exists()
    client.post(reverse("membership:import"), {"confirm": "1"})
    assert Member.objects.count() == 2
    assert client.get(reverse("membership:import") + "?template=1")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
