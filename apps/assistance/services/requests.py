"""The applicant's side: a draft saved step by step, papers, and submitting with consent."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Organization
from apps.core.private_files import checked_file, detected_extension
from apps.reminders.services import notify_all

from ..models import Document, HelpRequest
from .common import caseworkers, log

DRAFT_FIELDS = (
    "filer",
    "applicant_name",
    "phone",
    "town",
    "employer_name",
    "household_size",
    "household_members",
    "income_band",
    "reason",
    "story",
    "asked_help",
    "asked_amount",
)
DOCUMENT_TYPES = ("pdf", "jpg", "png", "webp")
MAX_DOCUMENTS = 10


def _editable(request: HelpRequest, user) -> None:
    if request.applicant_id != user.pk and request.filed_by_id != user.pk:
        raise ValidationError(_("只有申请人本人可以修改这份申请。"))
    if not request.editable:
        raise ValidationError(_("申请已提交，不能再修改；如需补充请联系承办工会。"))


def _worker_by_phone(user, phone: str):
    """The worker a union staff member files for: the account that proved this mobile number."""
    from django.contrib.auth import get_user_model

    from .common import is_officer, staffed_union_ids

    if not (is_officer(user) or staffed_union_ids(user)):
        raise ValidationError({"filer": _("只有工会工作人员可以代职工申请。")})
    worker = get_user_model().objects.filter(phone=phone.strip(), phone_verified=True, is_active=True).first()
    if worker is None:
        raise ValidationError({"worker_phone": _("没有找到用这个手机号注册并验证的职工，请职工先在门户注册。")})
    return worker


@transaction.atomic
def draft_save(*, user, request: HelpRequest | None = None, worker_phone: str = "", **fields) -> HelpRequest:
    """Create the draft (step 1) or save any step of it; nothing is checked for completeness yet.

    Union staff filing on a worker's behalf name the worker by their proven mobile number: the
    request is the worker's (they follow it in /me/), the staff member is its filer."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if request is None:
        applicant = user
        if fields.get("filer") == "union" or worker_phone:
            if not worker_phone:
                raise ValidationError({"worker_phone": _("工会代为申请时，请填写职工注册的手机号。")})
            applicant = _worker_by_phone(user, worker_phone)
        request = HelpRequest(applicant=applicant, filed_by=user)
        created = True
    else:
        request = HelpRequest.objects.select_for_update().get(pk=request.pk)
        _editable(request, user)
        created = False
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
        obj=request,
        detail=_("保存草稿"),
    )
    return request


@transaction.atomic
def document_add(*, user, request: HelpRequest, kind: str, file) -> Document:
    """Keep one paper as a private file, named by its checked content (PDF or image only)."""
    if request.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(_("每份申请最多上传 %(n)s 个文件。") % {"n": MAX_DOCUMENTS})
    ext = detected_extension(file)
    if ext not in DOCUMENT_TYPES:
        raise ValidationError(
            _("文件「%(name)s」不是有效的 PDF 或图片。") % {"name": os.path.basename(file.name or "?")},
            code="invalid_attachment",
        )
    document = Document.objects.create(request=request, kind=kind, file=checked_file(file), uploaded_by=user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        obj=request,
        detail=_("上传材料：%(kind)s") % {"kind": document.get_kind_display()},
    )
    return document


@transaction.atomic
def document_remove(*, user, request: HelpRequest, document: Document) -> None:
    _editable(request, user)
    if document.request_id != request.pk or document.kind in (
        Document.Kind.APPLICATION,
        Document.Kind.AUTHORISATION,
    ):
        raise ValidationError(_("这份材料不能删除。"))
    document.file.delete(save=False)
    document.delete()
    audit_record(actor=user, action=AuditEntry.Action.DELETE, obj=request, detail=_("删除材料"))


def union_for(user, town) -> tuple[Organization | None, str]:
    """The union that works the case: the member's own, the employer's, the town's, the city's."""
    facts = registry.person_facts(user)
    unions = Organization.objects.filter(kind=Organization.Kind.UNION)
    if facts.get("union_id"):
        union = unions.filter(pk=facts["union_id"]).first()
        if union is not None:
            return union, _("会员所在工会%(union)s受理。") % {"union": union.name}
    employer = Organization.objects.filter(pk=facts.get("employer_id")).select_related("covered_by").first()
    if employer is not None and employer.covered_by_id:
        return employer.covered_by, _("工作单位“%(employer)s”的工会%(union)s受理。") % {
            "employer": employer.name,
            "union": employer.covered_by.name,
        }
    if town is not None:
        union = unions.filter(union_level=Organization.UnionLevel.TOWN, town=town).order_by("pk").first()
        if union is not None:
            return union, _("按所在地“%(town)s”由%(union)s受理。") % {"town": town.name, "union": union.name}
    city = unions.filter(union_level=Organization.UnionLevel.CITY).order_by("pk").first()
    if city is not None:
        return city, _("所在地尚无乡镇工会，由%(union)s受理。") % {"union": city.name}
    return None, ""


def missing_steps(request: HelpRequest) -> dict[str, str]:
    """What a draft still lacks, by field (every message says which step to go back to)."""
    missing = {}
    if not request.applicant_name or not request.phone or request.town_id is None:
        missing["applicant_name"] = _("第 1 步：请填写申请人姓名、联系电话和所在乡镇。")
    if not request.household_size or not request.household_members:
        missing["household_size"] = _("第 1 步：请填写家庭人口和家庭成员。")
    if not request.income_band or not request.reason or not request.story.strip():
        missing["reason"] = _("第 2 步：请选择收入情况和致困原因，并说明困难情况。")
    if not request.asked_help:
        missing["asked_help"] = _("第 3 步：请选择申请帮扶的类型。")
    return missing


@transaction.atomic
def request_submit(*, user, request: HelpRequest, consent: bool, financial_consent: bool, health_consent: bool):
    """Submit a complete draft (or a returned request, corrected) with the consents it needs."""
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    _editable(request, user)
    errors = dict(missing_steps(request))
    if not consent:
        errors["consent"] = _("请阅读并同意个人信息保护告知。")
    if not financial_consent:
        errors["financial_consent"] = _("核对家庭收入和财产需要您单独同意。")
    has_medical = request.documents.filter(kind="medical").exists()
    if (request.needs_health_consent or has_medical) and not health_consent:
        errors["health_consent"] = _("病情、残疾等健康信息属于敏感个人信息，需要您单独同意。")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request.consent_at = request.consent_at or now
    request.financial_consent_at = request.financial_consent_at or now
    if health_consent:
        request.health_consent_at = request.health_consent_at or now
    again = request.state == HelpRequest.State.RETURNED
    if request.union_id is None:
        request.union, request.union_reason = union_for(request.applicant, request.town)
    request.state = HelpRequest.State.SUBMITTED
    request.submitted_at = now
    request.return_reason = ""
    request.save()
    log(
        request,
        actor=user,
        note=_("补充后重新提交") if again else request.union_reason,
        action=AuditEntry.Action.CREATE,
    )
    notify_all(
        caseworkers(request),
        kind="assistance.queue",
        key=f"assistance.submitted:{request.pk}:{now:%Y%m%d%H%M%S}",
        title=_("新的帮扶申请待初审"),
        url=request.get_absolute_url(),
    )
    return request
