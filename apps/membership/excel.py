"""Day one: the union hierarchy and the member roll from Excel.

Two sheets, 工会 and 会员 (``roll_template()`` writes an empty file with the headers). An import
runs the whole file inside one transaction and reports each row as created, matched (already
so: nothing changes) or refused, with the reason. A preview is the same run rolled back; a real
run commits only when no row is refused — nothing is ever half-imported, and the same file
imported twice matches every row and changes nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.accounts.models import Occupation
from apps.core.excel import SafeWorkbook
from apps.core.models import Organization, Town, UnionStaff

from .models import LedgerEntry, Member

UNION_SHEET = "工会"
MEMBER_SHEET = "会员"
UNION_COLUMNS = ["工会名称", "简称", "层级", "上级工会", "所在乡镇/街道", "行业（职业）", "覆盖单位", "工作人员"]
MEMBER_COLUMNS = ["姓名", "手机号码", "会员编号", "所在工会", "入会日期", "职业", "所在乡镇/街道", "工作单位"]
LEVELS = {
    "市总工会": Organization.UnionLevel.CITY,
    "乡镇/街道工会": Organization.UnionLevel.TOWN,
    "乡镇工会": Organization.UnionLevel.TOWN,
    "街道工会": Organization.UnionLevel.TOWN,
    "行业工会": Organization.UnionLevel.INDUSTRY,
    "基层工会": Organization.UnionLevel.GRASSROOTS,
    "联合工会": Organization.UnionLevel.GRASSROOTS,
}
SEPARATORS = ("、", "，", ",", ";", "；", "\n")


@dataclass(frozen=True)
class RowResult:
    sheet: str
    line: int
    outcome: str  # created | matched | updated | refused
    subject: str
    reason: str = ""

    @property
    def outcome_label(self):
        return {"created": _("新建"), "matched": _("已存在（不变）"), "updated": _("更新"), "refused": _("拒绝")}[
            self.outcome
        ]


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    committed: bool = False

    def add(self, sheet, line, outcome, subject, reason=""):
        self.rows.append(RowResult(sheet, line, outcome, str(subject), str(reason)))

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.outcome == "refused" for r in self.rows)

    def count(self, outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def summary(self) -> str:
        return _("新建 %(c)s 行，已存在 %(m)s 行，更新 %(u)s 行，拒绝 %(r)s 行") % {
            "c": self.count("created"),
            "m": self.count("matched"),
            "u": self.count("updated"),
            "r": self.count("refused"),
        }


class _Rollback(Exception):
    pass


def roll_template() -> SafeWorkbook:
    book = SafeWorkbook()
    book.sheet(UNION_SHEET, UNION_COLUMNS)
    book.sheet(MEMBER_SHEET, MEMBER_COLUMNS)
    return book


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(value) -> list[str]:
    text = _text(value)
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return None


def _rows(wb, name, columns, report):
    if name not in wb.sheetnames:
        return []
    values = list(wb[name].iter_rows(values_only=True))
    header = [_text(v) for v in (values[0] if values else [])]
    missing = [c for c in columns if c not in header]
    if missing:
        report.add(name, 1, "refused", name, _("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        return []
    index = {c: header.index(c) for c in columns}
    found = []
    for line, row in enumerate(values[1:], start=2):
        if row is None or all(_text(v) == "" for v in row):
            continue
        cells = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        found.append((line, {c: v if c == "入会日期" else _text(v) for c, v in cells.items()}))
    return found


def _occupation(text: str) -> str | None:
    """An occupation by its Chinese label or its key; None when unknown."""
    if not text:
        return ""
    by_label = {str(label): value for value, label in Occupation.choices}
    return by_label.get(text) or (text if text in Occupation.values else None)


def _person(text: str):
    """A user named by user name or mobile number."""
    User = get_user_model()
    return User.objects.filter(Q(username=text) | Q(phone=text, phone_verified=True)).first()


def _import_unions(rows, report, actor):
    from apps.accounts.services import user_role_add

    towns = {t.name: t for t in Town.objects.all()}
    in_file = {}
    for line, row in rows:
        name = row["工会名称"]
        if not name:
            report.add(UNION_SHEET, line, "refused", "—", _("工会名称不能为空。"))
            continue
        if name in in_file:
            report.add(UNION_SHEET, line, "refused", name, _("与第 %(n)s 行重复。") % {"n": in_file[name][0]})
            continue
        level = LEVELS.get(row["层级"])
        if level is None:
            report.add(UNION_SHEET, line, "refused", name, _("层级应为：%(levels)s") % {"levels": "、".join(LEVELS)})
            continue
        town = towns.get(row["所在乡镇/街道"]) if row["所在乡镇/街道"] else None
        if row["所在乡镇/街道"] and town is None:
            report.add(
                UNION_SHEET, line, "refused", name, _("没有名为“%(t)s”的乡镇/街道。") % {"t": row["所在乡镇/街道"]}
            )
            continue
        if level == Organization.UnionLevel.TOWN and town is None:
            report.add(UNION_SHEET, line, "refused", name, _("乡镇/街道工会须填写所在乡镇/街道。"))
            continue
        industry = _occupation(row["行业（职业）"])
        if industry is None:
            report.add(UNION_SHEET, line, "refused", name, _("没有名为“%(o)s”的职业。") % {"o": row["行业（职业）"]})
            continue
        if level == Organization.UnionLevel.INDUSTRY and not industry:
            report.add(UNION_SHEET, line, "refused", name, _("行业工会须填写行业（职业），例如“快递员”。"))
            continue
        existing = Organization.objects.filter(name=name).first()
        if existing is not None and existing.kind != Organization.Kind.UNION:
            report.add(UNION_SHEET, line, "refused", name, _("已有同名的单位，但它不是工会。"))
            continue
        wanted = {
            "kind": Organization.Kind.UNION,
            "union_level": level,
            "town": town,
            "industry": industry or "",
            "short_name": row["简称"][:40] or (existing.short_name if existing else ""),
        }
        if existing is None:
            union = Organization.objects.create(name=name[:120], **wanted)
            outcome = "created"
        else:
            union = existing
            changed = [k for k, v in wanted.items() if getattr(union, k) != v]
            for key in changed:
                setattr(union, key, wanted[key])
            if changed:
                union.save()
            outcome = "updated" if changed else "matched"
        in_file[name] = (line, union, row, outcome)
    # Second pass: parents (which may come later in the file), covered employers and staff.
    for name, (line, union, row, outcome) in in_file.items():
        problems, changes = [], []
        parent_name = row["上级工会"]
        if parent_name:
            parent = (
                in_file[parent_name][1]
                if parent_name in in_file
                else Organization.objects.filter(name=parent_name, kind=Organization.Kind.UNION).first()
            )
            if parent is None:
                problems.append(_("上级工会“%(p)s”不在文件中，也不在系统中。") % {"p": parent_name})
            elif parent.pk == union.pk:
                problems.append(_("上级工会不能是它自己。"))
            elif union.parent_id != parent.pk:
                union.parent = parent
                union.save(update_fields=["parent", "updated_at"])
                changes.append(_("上级工会"))
        for employer_name in _split(row["覆盖单位"]):
            employer = Organization.objects.filter(name=employer_name).first()
            if employer is not None and employer.kind == Organization.Kind.UNION:
                problems.append(_("覆盖单位“%(e)s”是工会，不是用人单位。") % {"e": employer_name})
                continue
            if employer is None:
                employer = Organization.objects.create(
                    name=employer_name[:120], kind=Organization.Kind.EMPLOYER, town=union.town, covered_by=union
                )
                changes.append(_("新建单位“%(e)s”") % {"e": employer_name})
            elif employer.covered_by_id != union.pk:
                if employer.covered_by_id is not None:
                    problems.append(_("单位“%(e)s”已由%(u)s覆盖。") % {"e": employer_name, "u": employer.covered_by})
                    continue
                employer.covered_by = union
                employer.save(update_fields=["covered_by", "updated_at"])
                changes.append(_("覆盖单位“%(e)s”") % {"e": employer_name})
        for who in _split(row["工作人员"]):
            user = _person(who)
            if user is None:
                problems.append(_("没有用户名或已验证手机号为“%(w)s”的用户。") % {"w": who})
                continue
            _post, created = UnionStaff.objects.get_or_create(union=union, user=user)
            if created or "union_staff" not in user.role_names:
                user_role_add(user=user, role="union_staff")
                changes.append(_("工作人员%(w)s") % {"w": user.display_name})
        if problems:
            report.add(UNION_SHEET, line, "refused", name, "；".join(str(p) for p in problems))
        elif outcome == "matched" and changes:
            report.add(UNION_SHEET, line, "updated", name, "、".join(str(c) for c in changes))
        else:
            report.add(UNION_SHEET, line, outcome, name, "、".join(str(c) for c in changes))


def _import_members(rows, report, actor):
    from .services import member_number_issue

    towns = {t.name: t for t in Town.objects.all()}
    numbers_seen, phones_seen = {}, {}
    for line, row in rows:
        name, phone, number = row["姓名"], row["手机号码"], row["会员编号"].upper()
        subject = f"{name} {number}".strip() or "—"
        problems = []
        if not name:
            problems.append(_("姓名不能为空。"))
        if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            problems.append(_("手机号码应为 11 位数字。"))
        if not number and not phone:
            problems.append(_("会员编号和手机号码至少填一项。"))
        if number and number in numbers_seen:
            problems.append(_("会员编号与第 %(n)s 行重复。") % {"n": numbers_seen[number]})
        if phone and phone in phones_seen:
            problems.append(_("手机号码与第 %(n)s 行重复。") % {"n": phones_seen[phone]})
        union = Organization.objects.filter(name=row["所在工会"], kind=Organization.Kind.UNION).first()
        if union is None:
            problems.append(_("没有名为“%(u)s”的工会（可在“工会”表中一并导入）。") % {"u": row["所在工会"]})
        since = _date(row["入会日期"])
        if since is None:
            problems.append(_("入会日期应为 2024-12-31 这样的日期。"))
        elif since > timezone.localdate():
            problems.append(_("入会日期不能晚于今天。"))
        occupation = _occupation(row["职业"])
        if occupation is None:
            problems.append(_("没有名为“%(o)s”的职业。") % {"o": row["职业"]})
        town = towns.get(row["所在乡镇/街道"]) if row["所在乡镇/街道"] else None
        if row["所在乡镇/街道"] and town is None:
            problems.append(_("没有名为“%(t)s”的乡镇/街道。") % {"t": row["所在乡镇/街道"]})
        if problems:
            report.add(MEMBER_SHEET, line, "refused", subject, "；".join(str(p) for p in problems))
            continue
        if number:
            numbers_seen[number] = line
        if phone:
            phones_seen[phone] = line
        existing = Member.objects.filter(number=number).first() if number else None
        if existing is None and phone:
            existing = Member.objects.filter(phone=phone).first()
        if existing is not None:
            if (number and existing.number != number) or (phone and existing.phone and existing.phone != phone):
                report.add(
                    MEMBER_SHEET,
                    line,
                    "refused",
                    subject,
                    _("编号或手机号已属于另一名会员（%(m)s）。") % {"m": existing},
                )
            elif existing.union_id != union.pk:
                report.add(
                    MEMBER_SHEET,
                    line,
                    "refused",
                    subject,
                    _("该会员在%(u)s，跨工会调整请办理会籍接转。") % {"u": existing.union},
                )
            else:
                report.add(MEMBER_SHEET, line, "matched", existing)
            continue
        employer = Organization.objects.filter(name=row["工作单位"]).exclude(kind=Organization.Kind.UNION).first()
        User = get_user_model()
        person = User.objects.filter(phone=phone, phone_verified=True).first() if phone else None
        if person is not None and Member.objects.filter(person=person).exists():
            person = None
        member = Member.objects.create(
            person=person,
            real_name=name[:30],
            phone=phone,
            union=union,
            number=number or member_number_issue(since.year),
            since=since,
            occupation=occupation or "",
            town=town,
            employer=employer,
            employer_name="" if employer else row["工作单位"][:120],
        )
        LedgerEntry.objects.create(
            member=member,
            kind=LedgerEntry.Kind.IMPORTED,
            to_union=union,
            actor=actor,
            note=_("花名册导入，入会日期 %(d)s") % {"d": since},
        )
        report.add(MEMBER_SHEET, line, "created", member)


def roll_import(data: bytes, *, actor=None, commit: bool) -> ImportReport:
    """Import (or, with ``commit=False``, preview) a workbook: all rows or none."""
    report = ImportReport()
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception:  # noqa: BLE001 — any unreadable upload is the same answer to the officer
        report.add("—", 0, "refused", "—", _("无法读取文件，请上传 .xlsx 格式的 Excel 文件。"))
        return report
    if UNION_SHEET not in wb.sheetnames and MEMBER_SHEET not in wb.sheetnames:
        report.add("—", 0, "refused", "—", _("文件中应有“工会”或“会员”工作表。"))
        return report
    union_rows = _rows(wb, UNION_SHEET, UNION_COLUMNS, report)
    member_rows = _rows(wb, MEMBER_SHEET, MEMBER_COLUMNS, report)
    try:
        with transaction.atomic():
            _import_unions(union_rows, report, actor)
            _import_members(member_rows, report, actor)
            if not (commit and report.ok):
                raise _Rollback
            report.committed = True
    except _Rollback:
        pass
    return report
