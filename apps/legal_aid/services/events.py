"""Legal events: registration with a waiting list, check-in, held with a head count."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import user_holds
from apps.reminders.services import notification_send

from ..models import LegalEvent, Registration


def event_register(*, event: LegalEvent, user) -> Registration:
    """Register for an event: a seat while there is one, else the waiting list."""
    with transaction.atomic():
        event = LegalEvent.objects.select_for_update().get(pk=event.pk)
        if event.status != LegalEvent.Status.OPEN or event.starts_at <= timezone.now():
            raise ValidationError(_("该活动已不接受报名。"))
        if event.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).exists():
            raise ValidationError(_("您已经报名了这个活动。"))
        taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        status = Registration.Status.CONFIRMED if taken < event.capacity else Registration.Status.WAITING
        try:
            with transaction.atomic():
                return Registration.objects.create(event=event, user=user, status=status)
        except IntegrityError:
            raise ValidationError(_("您已经报名了这个活动。")) from None


def registration_cancel(*, registration: Registration, by) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list. Returns who was promoted."""
    promoted = None
    with transaction.atomic():
        event = LegalEvent.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.user_id != by.pk and not user_holds(by, "legal_aid.change_registration"):
            raise ValidationError(_("只能取消自己的报名。"))
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError(_("该报名已取消。"))
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if was_confirmed:
            promoted = (
                event.registrations.select_for_update()
                .filter(status=Registration.Status.WAITING)
                .order_by("created_at", "pk")
                .first()
            )
            if promoted:
                promoted.status = Registration.Status.CONFIRMED
                promoted.save(update_fields=["status", "updated_at"])
    if promoted:
        notification_send(
            user=promoted.user,
            kind="legal_aid.event",
            key=f"legal_aid:promoted:{promoted.pk}",
            title=_("候补成功：%(event)s") % {"event": event.display_title},
            body=_("有人取消报名，您已从候补转为正式报名。"),
            url=event.get_absolute_url(),
        )
    return promoted


def registration_check_in(*, registration: Registration, by) -> Registration:
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("只有报名成功的职工可以签到。"))
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def event_mark_held(*, event: LegalEvent, by, head_count: int | None = None) -> LegalEvent:
    """Close an event as held with its head count (checked-in registrants plus invitees present by default)."""
    if event.status == LegalEvent.Status.CANCELLED:
        raise ValidationError(_("已取消的活动不能登记为已举办。"))
    if event.starts_at > timezone.now():
        raise ValidationError(_("活动开始后才能登记为已举办。"))
    if head_count is None:
        head_count = (
            event.registrations.filter(checked_in_at__isnull=False).count()
            + event.invitees.filter(attended=True).count()
        )
    event.head_count = head_count
    event.status = LegalEvent.Status.HELD
    event.full_clean()
    event.save(update_fields=["head_count", "status", "updated_at"])
    return event
