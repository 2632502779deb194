"""Insurance: the list of insured people sent to the insurer (each row with the application's
reference number) and the insurer's file of reference + policy number coming back. The import
is all or nothing: unknown references, duplicate policy numbers or a wrong column layout give a
report and change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.excel import SafeWorkbook
from apps.enrolment import services as engine
from apps.enrolment.models import Attendance, Enrolment

from ..models import Application, Programme

State = Enrolment.State
HEADER = ("申请编号", "保单号")


def insured_list(programme: Programme, *, by) -> SafeWorkbook:
    """Everyone holding a confirmed place, for the insurer (one row per application)."""
    book = SafeWorkbook()
    sheet = book.sheet(_("投保名单"), [_("申请编号"), _("姓名"), _("手机"), _("性别"), _("出生日期"), _("职业")])
    rows = (
        Application.objects.filter(programme=programme, enrolment__state__in=(State.CONFIRMED, State.ATTENDED))
        .select_related("person")
        .order_by("reference")
    )
    for a in rows:
        person = a.person
        book.append(
            sheet,
            [
                a.reference,
                person.display_name,
                person.phone,
                person.get_sex_display(),
                person.birth_date.isoformat() if person.birth_date else "",
                person.get_occupation_display(),
            ],
        )
    audit_record(actor=by, action="download", obj=programme, detail="insured list exported")
    return book


@dataclass
class ImportReport:
    imported: int = 0
    problems: list[str] = field(default_factory=list)


def policies_import(*, programme: Programme, upload, by, now=None) -> ImportReport:
    """Read the insurer's file (申请编号, 保单号): every row must match one insured application."""
    from openpyxl import load_workbook

    report = ImportReport()
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # noqa: BLE001 — any unreadable file is the same answer to the officer
        raise ValidationError(_("无法读取该文件，请上传保险公司返回的 .xlsx 文件。")) from None
    header = tuple(str(c or "").strip() for c in (rows[0] if rows else ())[:2])
    if header != HEADER:
        raise ValidationError(
            _("表头应为“申请编号、保单号”两列（当前为：%(h)s），未导入任何数据。") % {"h": "、".join(header)}
        )
    pairs, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        ref, policy = (str(c or "").strip() for c in (tuple(row) + ("", ""))[:2])
        if not ref and not policy:
            continue
        if not ref or not policy:
            report.problems.append(_("第 %(n)s 行：申请编号和保单号都要填写。") % {"n": number})
            continue
        if policy in seen:
            report.problems.append(
                _("第 %(n)s 行：保单号 %(p)s 与第 %(m)s 行重复。") % {"n": number, "p": policy, "m": seen[policy]}
            )
        seen[policy] = number
        pairs.append((number, ref, policy))
    found = {
        a.reference: a
        for a in Application.objects.filter(
            programme=programme, reference__in=[r for _n, r, _p in pairs]
        ).select_related("person", "enrolment")
    }
    used = dict(
        Application.objects.filter(programme=programme, policy_number__in=list(seen))
        .exclude(policy_number="")
        .values_list("policy_number", "reference")
    )
    for number, ref, policy in pairs:
        application = found.get(ref)
        if application is None:
            report.problems.append(_("第 %(n)s 行：申请编号 %(r)s 不属于本项目的任何人。") % {"n": number, "r": ref})
        elif application.enrolment.state not in (State.CONFIRMED, State.ATTENDED):
            report.problems.append(_("第 %(n)s 行：%(r)s 没有确认的名额。") % {"n": number, "r": ref})
        elif used.get(policy, ref) != ref:
            report.problems.append(
                _("第 %(n)s 行：保单号 %(p)s 已用于 %(r)s。") % {"n": number, "p": policy, "r": used[policy]}
            )
    if report.problems:
        return report
    now = now or timezone.now()
    with transaction.atomic():
        for _number, ref, policy in pairs:
            application = found[ref]
            engine.checkin(
                occasion=programme.occasion, person=application.person, method=Attendance.Method.PHONE, by=by, now=now
            )
            Application.objects.filter(pk=application.pk).update(policy_number=policy, updated_at=now)
            audit_record(actor=by, action="change", obj=application, detail=f"policy {policy} imported")
            report.imported += 1
    return report
