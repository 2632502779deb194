"""入会申请: submit (routed by itself), accept (a number is issued once), return, refer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Occupation
from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Organization
from apps.reminders.outbox import enqueue
from apps.reminders.services import notify_all

from ..models import Application, LedgerEntry, Member, MemberNumberCounter, Route
from .common import decision_days, due_from, may_decide_for
from .routing import route_for

OPEN_ALREADY = _("您已有一份入会申请正在办理中，请等待结果，无需重复提交。")


def _tell_worker(application: Application, *, key: str, title: str, body: str = "") -> None:
    notify_all(
        [application.person_id],
        kind="membership.application",
        key=f"membership.application:{application.pk}:{key}",
        title=title,
        body=body,
        url=reverse("accounts:me"),
    )


def _tell_staff(application: Application) -> None:
    from ..tasks import application_staff_notify

    enqueue(application_staff_notify, application.pk, application.union_id)


def application_staff_notify(*, application_id: int, union_id: int) -> int:
    """Tell a union's staff that an application waits in their queue."""
    from apps.accounts.roles import users_holding

    application = Application.objects.select_related("union").filter(pk=application_id).first()
    if application is None or not application.is_open or application.union_id != union_id:
        return 0
    return notify_all(
        users_holding("union_staff", obj=application.union),
        kind="membership.queue",
        key=f"membership.queue:{application.pk}:{union_id}",
        title=_("新的入会申请：%(name)s，请在 %(due)s 前办理")
        % {"name": application.real_name, "due": application.due_on},
        url=reverse("membership:queue"),
    )


def application_submit(
    *,
    person,
    real_name: str,
    occupation: str,
    town,
    consent: bool,
    employer: Organization | None = None,
    employer_name: str = "",
) -> Application:
    """A signed-in worker with a proven phone applies; the application goes to its union by itself."""
    real_name, employer_name = (real_name or "").strip(), (employer_name or "").strip()
    if not getattr(person, "phone_verified", False):
        raise ValidationError(_("请先在“我的”中验证手机号码，再申请入会。"))
    member = Member.objects.filter(person=person).first()
    if member is not None and member.is_current:
        raise ValidationError(_("您已是工会会员（会员编号 %(number)s），无需重复申请。") % {"number": member.number})
    if Application.objects.open().filter(person=person).exists():
        raise ValidationError(OPEN_ALREADY)
    errors = {}
    if not real_name:
        errors["real_name"] = _("请填写真实姓名。")
    elif len(real_name) > 30:
        errors["real_name"] = _("姓名最多 30 个字。")
    if employer is None and not employer_name:
        errors["employer_name"] = _("请选择工作单位；列表里没有时，请填写单位名称。")
    if occupation not in Occupation.values:
        errors["occupation"] = _("请选择职业。")
    if town is None:
        errors["town"] = _("请选择工作所在的乡镇/街道。")
    if not consent:
        errors["consent"] = _("请阅读并同意入会告知后再提交。")
    if errors:
        raise ValidationError(errors)
    choice = route_for(employer=employer, occupation=occupation, town=town)
    now = timezone.now()
    application = Application(
        person=person,
        real_name=real_name,
        employer=employer,
        employer_name="" if employer else employer_name,
        occupation=occupation,
        town=town,
        consent_at=now,
        union=choice.union,
        route=choice.route,
        route_reason=choice.reason,
        submitted_at=now,
        due_on=due_from(now, decision_days()),
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
            # The person's own profile facts follow what they declared, where they had said nothing.
            changed = []
            for field, value in (("real_name", real_name), ("occupation", occupation), ("town", town)):
                if not getattr(person, "town_id" if field == "town" else field):
                    setattr(person, field, value)
                    changed.append(field)
            if changed:
                person.save(update_fields=changed)
            _tell_worker(
                application,
                key="submitted",
                title=_("入会申请已提交，由%(union)s受理") % {"union": choice.union.name},
                body=_("%(reason)s办理期限：%(due)s。") % {"reason": choice.reason, "due": application.due_on},
            )
            _tell_staff(application)
    except IntegrityError:
        raise ValidationError(OPEN_ALREADY) from None
    return application


def _locked_open(application_id: int, by) -> Application:
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or not may_decide_for(by, application.union_id):
        raise ValidationError(_("您不能办理这份申请。"))
    if not application.is_open:
        raise ValidationError(
            _("这份申请已经办理（%(state)s），无需重复操作。") % {"state": application.get_state_display()}
        )
    return application


def member_number_issue(year: int) -> str:
    """The next member number of a year (XH-2026-000123), taken under a lock on the year's counter."""
    MemberNumberCounter.objects.bulk_create([MemberNumberCounter(year=year)], ignore_conflicts=True)
    counter = MemberNumberCounter.objects.select_for_update().get(year=year)
    while True:
        counter.last += 1
        number = f"XH-{year}-{counter.last:06d}"
        if not Member.objects.filter(number=number).exists():  # a number brought in by an import
            break
    counter.save(update_fields=["last"])
    return number


def application_accept(*, application_id: int, by) -> Member:
    """Accept: the person becomes a member (a number is issued once) and the ledger gets one row."""
    with transaction.atomic():
        application = _locked_open(application_id, by)
        person = application.person
        now = timezone.now()
        member = Member.objects.select_for_update().filter(person=person).first()
        kind = LedgerEntry.Kind.JOINED
        if member is None and person.phone:
            # A roll row brought in by an import, with the same number and no account yet: theirs.
            member = Member.objects.select_for_update().filter(person=None, phone=person.phone).first()
        if member is None:
            member = Member(
                person=person, number=member_number_issue(timezone.localdate().year), since=timezone.localdate()
            )
        elif member.state == Member.State.LEFT:
            kind, member.since, member.left_on = LedgerEntry.Kind.REJOINED, timezone.localdate(), None
        member.person = person
        member.real_name = application.real_name
        member.phone = person.phone
        member.union = application.union
        member.state = Member.State.ACTIVE
        member.occupation = application.occupation
        member.town = application.town
        member.employer = application.employer
        member.employer_name = application.employer_name
        member.full_clean(validate_constraints=False)
        member.save()
        LedgerEntry.objects.create(
            member=member, kind=kind, at=now, to_union=application.union, actor=by, application=application
        )
        application.state = Application.State.ACCEPTED
        application.member = member
        application.decided_at, application.decided_by = now, by
        application.save(update_fields=["state", "member", "decided_at", "decided_by", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=application, detail=f"accepted {member.number}")
        _tell_worker(
            application,
            key="accepted",
            title=_("欢迎加入工会！会员编号 %(number)s") % {"number": member.number},
            body=_("您已成为%(union)s会员，可在“我的会员卡”出示电子会员卡。") % {"union": application.union.name},
        )
    return member


def application_return(*, application_id: int, by, reason: str) -> Application:
    """Return with a reason; the worker may correct and submit again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时请写明原因，申请人会看到。")})
    with transaction.atomic():
        application = _locked_open(application_id, by)
        application.state = Application.State.RETURNED
        application.return_reason = reason[:300]
        application.decided_at, application.decided_by = timezone.now(), by
        application.save(update_fields=["state", "return_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(actor=by, action=AuditEntry.Action.DECIDE, obj=application, detail=f"returned: {reason}")
        _tell_worker(application, key="returned", title=_("入会申请被退回，请修改后重新提交"), body=reason)
    return application


def application_refer(*, application_id: int, by, union: Organization, reason: str) -> Application:
    """Refer to another union, which then decides (its own queue, a fresh deadline)."""
    reason = (reason or "").strip()
    if union is None or union.kind != Organization.Kind.UNION:
        raise ValidationError({"union": _("请选择要转办的工会。")})
    if not reason:
        raise ValidationError({"reason": _("转办时请写明原因。")})
    with transaction.atomic():
        application = _locked_open(application_id, by)
        if union.pk == application.union_id:
            raise ValidationError({"union": _("这份申请已经在%(union)s，请选择另一个工会。") % {"union": union.name}})
        previous = application.union
        now = timezone.now()
        application.union = union
        application.state = Application.State.REFERRED
        application.route = Route.REFERRED
        application.route_reason = (_("%(from)s转办：%(reason)s") % {"from": previous.name, "reason": reason})[:300]
        application.due_on = due_from(now, decision_days())
        application.save(update_fields=["union", "state", "route", "route_reason", "due_on", "updated_at"])
        audit_record(
            actor=by, action=AuditEntry.Action.DECIDE, obj=application, detail=f"referred to {union.name}: {reason}"
        )
        _tell_worker(
            application,
            key=f"referred:{union.pk}",
            title=_("入会申请已转至%(union)s办理") % {"union": union.name},
            body=reason,
        )
        _tell_staff(application)
    return application


def overdue_remind(*, today=None) -> int:
    """Daily: tell each union's staff of its applications past their deadline (once per application and day)."""
    from apps.accounts.roles import users_holding

    today = today or timezone.localdate()
    told = 0
    late = Application.objects.open().filter(due_on__lt=today).select_related("union").order_by("union_id", "due_on")
    by_union: dict[int, list[Application]] = {}
    for application in late:
        by_union.setdefault(application.union_id, []).append(application)
    for applications in by_union.values():
        union = applications[0].union
        names = "、".join(a.real_name for a in applications[:5])
        told += notify_all(
            users_holding("union_staff", obj=union),
            kind="membership.queue",
            key=f"membership.overdue:{union.pk}:{today:%Y-%m-%d}",
            title=_("%(union)s有 %(n)s 份入会申请已超过办理期限") % {"union": union.name, "n": len(applications)},
            body=names,
            url=reverse("membership:queue"),
        )
    return told
