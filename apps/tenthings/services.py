"""Writes of the ten practical things: reports, verification, targets, ratings, follows, reminders."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import users_holding
from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.core.private_files import checked_file
from apps.core.status import grace_date, past_grace
from apps.reminders.outbox import enqueue
from apps.reminders.services import notification_send, notify_all

from .completion import ZERO, Status, as_of_date, format_number, year_closed, year_elapsed
from .models import (
    Follow,
    Indicator,
    Item,
    ItemEvent,
    LinkedSnapshot,
    Plan,
    ProgressReport,
    Rating,
    ReportPhoto,
    Task,
)

KIND_REPORT_REQUEST = "tenthings.report_request"
KIND_OVERDUE = "tenthings.overdue"
KIND_DIGEST = "tenthings.digest"
KIND_REPORT_RETURNED = "tenthings.report_returned"
KIND_REPORT_VERIFIED = "tenthings.report_verified"
KIND_REPORT_SUBMITTED = "tenthings.report_submitted"
KIND_MY_REPORT_VERIFIED = "tenthings.my_report_verified"
VERIFY_PERMISSION = "tenthings.verify_progressreport"


def _verified_total(indicator: Indicator) -> Decimal:
    total = ProgressReport.objects.verified().filter(indicator=indicator).aggregate(t=Sum("amount"))["t"]
    return total or ZERO


def report_submit(
    *,
    indicator: Indicator,
    reporter,
    reported_on: datetime.date,
    narrative: str,
    amount: Decimal | None = None,
    milestone_done: bool = False,
    photos=(),
    attachment=None,
    late_reason: str = "",
    today: datetime.date | None = None,
) -> ProgressReport:
    """A responsible person reports progress on one indicator; it waits for staff to verify.

    After the plan year's grace date (``apps/core/status.py``) a report is a 补报: it needs its
    reason, and it is shown beside the frozen figure, never folded into it."""
    today = today or timezone.localdate()
    item = indicator.item
    plan = item.plan
    if item.responsible_id != reporter.pk:
        raise ValidationError(_("您不是该事项的责任人，不能填报进展。"), code="not_responsible")
    errors = {}
    late_reason = (late_reason or "").strip()
    if past_grace(plan.year, today) and not late_reason:
        errors["late_reason"] = _("%(year)s 年度已于 %(date)s 截止填报；补报请说明原因。") % {
            "year": plan.year,
            "date": f"{grace_date(plan.year):%Y-%m-%d}",
        }
    if reported_on.year != plan.year:
        errors["reported_on"] = _("进展日期必须在 %(year)s 年内。") % {"year": plan.year}
    elif reported_on > today:
        errors["reported_on"] = _("进展日期不能晚于今天。")
    if indicator.metric_key:
        errors["indicator"] = _("该指标由系统自动统计，无需填报。")
    if indicator.is_milestone:
        if amount is not None:
            errors["amount"] = _("节点指标不填写数量，请勾选“节点已完成”或只填写进展情况。")
    else:
        if milestone_done:
            errors["milestone_done"] = _("数量指标请填写本次完成数。")
        if amount is None:
            errors["amount"] = _("请填写本次完成数。")
        elif amount == 0:
            errors["amount"] = _("本次完成数不能为 0。")
        elif amount < 0 and _verified_total(indicator) + amount < 0:
            errors["amount"] = _("更正后累计完成数不能为负数（目前已核实 %(total)s %(unit)s）。") % {
                "total": format_number(_verified_total(indicator)),
                "unit": indicator.unit,
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the indicator so a double tap cannot slip two identical reports past the check.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        if ProgressReport.objects.filter(
            indicator=indicator,
            reporter=reporter,
            reported_on=reported_on,
            narrative=narrative,
            amount=amount,
            milestone_done=milestone_done,
            status=ProgressReport.Status.SUBMITTED,
        ).exists():
            raise ValidationError(_("相同的进展已提交，正在等待核实，请勿重复提交。"), code="duplicate")
        report = ProgressReport(
            indicator=indicator,
            reporter=reporter,
            reported_on=reported_on,
            narrative=narrative,
            amount=amount,
            milestone_done=milestone_done,
            attachment=checked_file(attachment) if attachment else "",
            late_reason=late_reason if past_grace(plan.year, today) else "",
        )
        report.full_clean()
        report.save()
        for photo in photos:
            report_photo = ReportPhoto(report=report, image=photo)
            report_photo.full_clean(exclude=["report"])
            report_photo.save()
        from .tasks import report_submitted_notify_task

        enqueue(report_submitted_notify_task, report.pk)
    return report


def _item_status(item: Item, *, today: datetime.date) -> Status:
    from .selectors.progress import _items_queryset, items_progress

    plan = item.plan
    as_of = as_of_date(plan.year, today)
    [progress] = items_progress(
        plan,
        list(_items_queryset(plan).filter(pk=item.pk)),
        as_of=as_of,
        elapsed=year_elapsed(plan.year, as_of),
        closed=year_closed(plan.year, today),
    )
    return progress.status


def item_status_record(*, item: Item, status: Status, actor=None, on: datetime.date) -> ItemEvent | None:
    """Keep a status change in the item's history (nothing if it did not change)."""
    if item.recorded_status == status:
        return None
    old = Status(item.recorded_status).label if item.recorded_status else ""
    item.recorded_status = status
    item.save(update_fields=["recorded_status", "updated_at"])
    return ItemEvent.objects.create(
        item=item,
        kind=ItemEvent.Kind.STATUS,
        old_value=old,
        new_value=str(status.label),
        actor=actor,
        happened_on=on,
    )


def report_verify(*, report: ProgressReport, reviewer, today: datetime.date | None = None) -> ProgressReport:
    """Staff confirm a report: it now counts, and the change is kept in the item's history."""
    today = today or timezone.localdate()
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("indicator__item__plan").get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(_("只有待核实的填报可以核实。"), code="not_pending")
        # Four eyes: whoever reported a figure does not also confirm it.
        if reviewer is not None and report.reporter_id == reviewer.pk:
            raise ValidationError(_("不能核实自己提交的填报，请由其他工作人员核实。"), code="own_report")
        indicator = report.indicator
        # Lock the indicator so two verifications cannot together push a figure below zero.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        before = _verified_total(indicator)
        if report.amount is not None and before + report.amount < 0:
            raise ValidationError(_("核实后累计完成数将为负数，请退回更正。"), code="negative_total")
        report.status = ProgressReport.Status.VERIFIED
        report.reviewed_by = reviewer
        report.reviewed_at = timezone.now()
        report.full_clean()
        report.save()
        if indicator.is_milestone:
            old, new = "", _("已完成") if report.milestone_done else _("有进展")
        else:
            old = f"{format_number(before)} {indicator.unit}"
            new = f"{format_number(before + report.amount)} {indicator.unit}"
        late = past_grace(indicator.item.plan.year, today)
        ItemEvent.objects.create(
            item=indicator.item,
            indicator=indicator,
            report=report,
            kind=ItemEvent.Kind.LATE if late else ItemEvent.Kind.FIGURE,
            old_value=old,
            new_value=new,
            note=(report.late_reason or "")[:200],
            actor=reviewer,
            happened_on=today if late else report.reported_on,
        )
        _closed_year_audit(
            report,
            reviewer,
            today,
            _("核实%(kind)s：%(old)s → %(new)s")
            % {
                "kind": _("补报") if late else _("进展"),
                "old": old or "—",
                "new": new,
            },
        )
        item = indicator.item
        if not late:  # past the grace date the item's status is the frozen one: it does not move
            item_status_record(item=item, status=_item_status(item, today=today), actor=reviewer, on=today)
        from .tasks import report_verified_notify_task

        enqueue(report_verified_notify_task, report.pk)
    return report


def _closed_year_audit(record, actor, today: datetime.date, detail: str) -> None:
    """Every change to a closed year's figure (a report's, a snapshot's) goes into the one audit log."""
    plan = record.indicator.item.plan
    if year_closed(plan.year, today):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            obj=record.indicator.item,
            detail=f"{plan.year}：{record.indicator.name}，{detail}",
        )


def report_withdraw(
    *, report: ProgressReport, actor, reason: str, today: datetime.date | None = None
) -> ProgressReport:
    """A verified figure is taken back with a reason: it stops counting and stays on record,
    visibly (never deleted); the item's history and, for a closed year, the audit log keep it."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdraw_reason": _("撤回已核实的进展时请填写原因。")})
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("indicator__item__plan").get(pk=report.pk)
        if report.status != ProgressReport.Status.VERIFIED:
            raise ValidationError(_("只有已核实的进展可以撤回。"), code="not_verified")
        indicator = report.indicator
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        before = _verified_total(indicator)
        if report.amount is not None and before - report.amount < 0:
            raise ValidationError(_("撤回后累计完成数将为负数，请先撤回其后的更正。"), code="negative_total")
        report.status = ProgressReport.Status.WITHDRAWN
        report.withdrawn_at = timezone.now()
        report.withdrawn_by = actor
        report.withdraw_reason = reason
        report.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
        if indicator.is_milestone:
            old, new = _("已完成") if report.milestone_done else _("有进展"), _("已撤回")
        else:
            old = f"{format_number(before)} {indicator.unit}"
            new = f"{format_number(before - report.amount)} {indicator.unit}"
        ItemEvent.objects.create(
            item=indicator.item,
            indicator=indicator,
            report=report,
            kind=ItemEvent.Kind.WITHDRAW,
            old_value=old,
            new_value=new,
            note=reason[:200],
            actor=actor,
            happened_on=today,
        )
        _closed_year_audit(
            report,
            actor,
            today,
            _("撤回进展：%(old)s → %(new)s，原因：%(reason)s")
            % {
                "old": old,
                "new": new,
                "reason": reason,
            },
        )
        item = indicator.item
        if not past_grace(item.plan.year, today):
            item_status_record(item=item, status=_item_status(item, today=today), actor=actor, on=today)
    return report


def linked_snapshot_verify(*, indicator: Indicator, actor, today: datetime.date | None = None) -> LinkedSnapshot:
    """A verifier confirms a linked indicator's figure as it stands today (a verified snapshot):
    "最近核实" for a linked figure, and what a closed year shows once its grace date has passed."""
    from apps.core import registry

    today = today or timezone.localdate()
    if not indicator.metric_key:
        raise ValidationError(_("只有联动指标可以核实当前数字。"), code="not_linked")
    plan = indicator.item.plan
    if past_grace(plan.year, today):
        raise ValidationError(
            _("%(year)s 年度已于 %(date)s 截止，联动数字按截止前最后一次核实为准。")
            % {"year": plan.year, "date": f"{grace_date(plan.year):%Y-%m-%d}"},
            code="closed",
        )
    value = registry.metric_value(indicator.metric_key, plan.year)
    if value is None:
        raise ValidationError(_("暂时无法取得该联动指标的数字。"), code="no_value")
    with transaction.atomic():
        snapshot = LinkedSnapshot.objects.create(
            indicator=indicator, value=Decimal(str(value)), taken_on=today, verified_by=actor
        )
        ItemEvent.objects.create(
            item=indicator.item,
            indicator=indicator,
            kind=ItemEvent.Kind.FIGURE,
            new_value=f"{format_number(snapshot.value)} {indicator.unit}",
            note=_("核实联动数字"),
            actor=actor,
            happened_on=today,
        )
        _closed_year_audit(snapshot, actor, today, f"{_('核实联动数字')} {format_number(snapshot.value)}")
    return snapshot


def report_return(*, report: ProgressReport, reviewer, comment: str) -> ProgressReport:
    """Staff send a report back with a comment; the reporter is told why."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("退回时请填写意见。")})
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(_("只有待核实的填报可以退回。"), code="not_pending")
        report.status = ProgressReport.Status.RETURNED
        report.reviewed_by = reviewer
        report.reviewed_at = timezone.now()
        report.review_comment = comment
        report.full_clean()
        report.save()
        from .tasks import report_returned_notify_task

        enqueue(report_returned_notify_task, report.pk)
    return report


def indicator_target_change(*, indicator: Indicator, target: Decimal, actor) -> Indicator:
    """Change a quantity target, keeping the old and new values in the item's history."""
    if indicator.is_milestone:
        raise ValidationError({"target": _("节点指标没有目标值。")})
    if target is None or target <= 0:
        raise ValidationError({"target": _("目标值必须大于 0。")})
    with transaction.atomic():
        old = Indicator.objects.select_for_update().get(pk=indicator.pk).target
        indicator.target = target
        indicator.full_clean()
        indicator.save()
        if old != target:
            ItemEvent.objects.create(
                item=indicator.item,
                indicator=indicator,
                kind=ItemEvent.Kind.TARGET,
                old_value=f"{format_number(old)} {indicator.unit}",
                new_value=f"{format_number(target)} {indicator.unit}",
                actor=actor,
                happened_on=timezone.localdate(),
            )
    return indicator


def rating_add(*, item: Item, user, stars: int) -> Rating:
    """A worker's first satisfaction rating of an item; a second one is refused."""
    if Rating.objects.filter(item=item, user=user).exists():
        raise ValidationError(_("您已经评价过该事项，可以修改原来的评分。"), code="already_rated")
    rating = Rating(item=item, user=user, stars=stars)
    rating.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        # The same person's simultaneous first rating (a double tap) won: the same answer as above.
        raise ValidationError(_("您已经评价过该事项，可以修改原来的评分。"), code="already_rated") from None
    return rating


def rating_change(*, item: Item, user, stars: int) -> Rating:
    """Change one's own rating of an item."""
    rating = Rating.objects.filter(item=item, user=user).first()
    if rating is None:
        raise ValidationError(_("您还没有评价过该事项。"), code="not_rated")
    rating.stars = stars
    rating.full_clean()
    with transaction.atomic():
        rating.save()
    return rating


def follow_set(*, item: Item, user, follow: bool) -> bool:
    """Follow or unfollow an item; returns whether the person now follows it."""
    with transaction.atomic():
        if follow:
            Follow.objects.get_or_create(item=item, user=user)
        else:
            Follow.objects.filter(item=item, user=user).delete()
    return follow


# --- Reminders (the rules: who, when, and the natural key) --------------------------------


def report_submitted_notify(*, report_id: int) -> int:
    """Tell everyone who may verify that a report waits for them (not its own reporter); once per report."""
    report = ProgressReport.objects.select_related("indicator__item__plan", "reporter").filter(pk=report_id).first()
    if report is None or report.status != ProgressReport.Status.SUBMITTED:
        return 0
    item = report.indicator.item
    return notify_all(
        users_holding(VERIFY_PERMISSION).exclude(pk=report.reporter_id),
        key=f"{KIND_REPORT_SUBMITTED}:report-{report.pk}",
        kind=KIND_REPORT_SUBMITTED,
        title=_("待核实：%(title)s") % {"title": item.title},
        body=_("%(who)s 填报了“%(indicator)s”（%(date)s）：%(text)s")
        % {
            "who": report.reporter.display_name,
            "indicator": report.indicator.name,
            "date": f"{report.reported_on:%Y-%m-%d}",
            "text": report.narrative[:200],
        },
        url=reverse("tenthings:review") + f"#report-{report.pk}",
    )


def report_verified_notify(*, report_id: int) -> int:
    """Tell the reporter their report now counts, and the item's followers that it has news; once each."""
    report = ProgressReport.objects.select_related("indicator__item__plan", "reporter").filter(pk=report_id).first()
    if report is None or report.status != ProgressReport.Status.VERIFIED:
        return 0
    item = report.indicator.item
    told = notify_all(
        get_user_model().objects.filter(pk=report.reporter_id),
        key=f"{KIND_MY_REPORT_VERIFIED}:report-{report.pk}",
        kind=KIND_MY_REPORT_VERIFIED,
        title=_("进展填报已核实：%(title)s") % {"title": item.title},
        body=f"{report.indicator.name}：{report.narrative[:200]}",
        url=reverse("tenthings:mine"),
    )
    followers = get_user_model().objects.filter(
        pk__in=Follow.objects.filter(item=item).exclude(user_id=report.reporter_id).values("user_id")
    )
    return told + notify_all(
        followers,
        key=f"{KIND_REPORT_VERIFIED}:report-{report.pk}",
        kind=KIND_REPORT_VERIFIED,
        title=_("您关注的“%(title)s”有新进展") % {"title": item.title},
        body=f"{report.indicator.name}：{report.narrative[:200]}",
        url=item.get_absolute_url(),
    )


def report_returned_notify(*, report_id: int) -> bool:
    """Tell the reporter their report was returned, with the staff comment."""
    report = ProgressReport.objects.select_related("indicator__item__plan", "reporter").filter(pk=report_id).first()
    if report is None or report.status != ProgressReport.Status.RETURNED:
        return False
    item = report.indicator.item
    return bool(
        notify_all(
            get_user_model().objects.filter(pk=report.reporter_id),
            key=f"{KIND_REPORT_RETURNED}:report-{report.pk}",
            kind=KIND_REPORT_RETURNED,
            title=_("进展填报被退回：%(title)s") % {"title": item.title},
            body=_("退回意见：%(comment)s") % {"comment": report.review_comment},
            url=reverse("tenthings:report", args=[item.plan.year, item.number]),
        )
    )


def report_requests_send(*, today: datetime.date | None = None) -> int:
    """Monthly: ask each responsible person of this year's unfinished items for a progress report."""
    from .selectors import plan_progress

    today = today or timezone.localdate()
    plan = Plan.objects.published().filter(year=today.year).first()
    if plan is None:
        return 0
    sent = 0
    for p in plan_progress(plan, today=today).items:
        item = p.item
        if item.responsible is None or p.status == Status.DONE:
            continue
        if notification_send(
            user=item.responsible,
            key=f"{KIND_REPORT_REQUEST}:{today:%Y-%m}:item-{item.pk}",
            kind=KIND_REPORT_REQUEST,
            title=_("请填报%(month)s“%(title)s”进展") % {"month": f"{today:%Y年%m月}", "title": item.title},
            body=_("当前完成率 %(percent)s%%，状态：%(status)s。请填报本月进展。")
            % {
                "percent": p.percent_int,
                "status": p.status_label,
            },
            url=reverse("tenthings:report", args=[plan.year, item.number]),
        ):
            sent += 1
    return sent


def overdue_alerts_send(*, today: datetime.date | None = None) -> int:
    """Daily: alert responsible people to milestones and tasks past their due date, once each."""
    today = today or timezone.localdate()
    sent = 0
    milestones = (
        Indicator.objects.filter(
            kind=Indicator.Kind.MILESTONE,
            due_date__lt=today,
            item__plan__published=True,
            item__responsible__isnull=False,
        )
        .exclude(reports__status=ProgressReport.Status.VERIFIED, reports__milestone_done=True)
        .select_related("item__plan", "item__responsible")
    )
    for ind in milestones:
        item = ind.item
        if notification_send(
            user=item.responsible,
            key=f"{KIND_OVERDUE}:indicator-{ind.pk}",
            kind=KIND_OVERDUE,
            title=_("节点已逾期：%(name)s") % {"name": ind.name},
            body=_("“%(item)s”的节点“%(name)s”应于 %(due)s 完成，尚未核实完成。")
            % {
                "item": item.title,
                "name": ind.name,
                "due": f"{ind.due_date:%Y-%m-%d}",
            },
            url=item.get_absolute_url(),
        ):
            sent += 1
    tasks = Task.objects.filter(
        due_date__lt=today, done_on__isnull=True, item__plan__published=True, item__responsible__isnull=False
    ).select_related("item__plan", "item__responsible")
    for task in tasks:
        item = task.item
        if notification_send(
            user=item.responsible,
            key=f"{KIND_OVERDUE}:task-{task.pk}",
            kind=KIND_OVERDUE,
            title=_("任务已逾期：%(what)s") % {"what": task.what},
            body=_("“%(item)s”的任务“%(what)s”（%(who)s）应于 %(due)s 完成。")
            % {
                "item": item.title,
                "what": task.what,
                "who": task.who,
                "due": f"{task.due_date:%Y-%m-%d}",
            },
            url=item.get_absolute_url(),
        ):
            sent += 1
    return sent


def leader_digest_send(*, today: datetime.date | None = None) -> int:
    """Weekly: send leaders the lagging and stale items of this year's plan; once per week."""
    from .selectors import lagging_first, plan_progress

    today = today or timezone.localdate()
    plan = Plan.objects.published().filter(year=today.year).first()
    if plan is None:
        return 0
    progress = plan_progress(plan, today=today)
    for p in progress.items:
        item_status_record(item=p.item, status=p.status, on=today)
    flagged = [p for p in lagging_first(progress) if p.lagging or p.stale]
    lines = [
        f"{p.item.number}. {p.item.title}：{p.percent_int}%，{p.status_label}{'，' + p.stale_label if p.stale else ''}"
        for p in flagged
    ] or [_("本周没有滞后或长期未更新的事项。")]
    body = _("全年完成率 %(percent)s%%（时间进度 %(elapsed)s%%）。\n") % {
        "percent": progress.percent_int,
        "elapsed": progress.elapsed_percent_int,
    } + "\n".join(lines)
    iso_year, iso_week, _day = today.isocalendar()
    return notify_all(
        users_holding("leader"),
        key=f"{KIND_DIGEST}:{iso_year}-W{iso_week:02d}",
        kind=KIND_DIGEST,
        title=_("十件实事周报：%(n)s 项需关注") % {"n": len(flagged)},
        body=body,
        url=reverse("dashboard:index"),
    )
