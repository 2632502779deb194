"""Applying (in person or nominated by a grassroots union), confirming an offer, cancelling."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.audit import audit_record
from apps.core.models import UnionStaff
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment, PriorityGroup, Roster

from ..models import Application, Programme
from ..rules import Verdict, eligibility, engine_key, priority_rule

State = Enrolment.State
Channel = Enrolment.Channel


def served_history(person) -> set[tuple[str, int]]:
    """(kind, year) of every programme the person was served by (one query)."""
    rows = Application.objects.filter(person=person, enrolment__state=State.ATTENDED).values_list(
        "programme__kind", "programme__year"
    )
    return set(rows)


def person_context(person) -> tuple[dict, set]:
    """The facts the rules read, and the person's past deliveries."""
    facts = dict(registry.person_facts(person))
    facts["town_name"] = person.town.name if person.town_id else None
    return facts, served_history(person)


def verdict_for(programme: Programme, person, rules=None, context=None) -> Verdict:
    facts, served = context or person_context(person)
    rules = rules if rules is not None else list(programme.rules.all())
    on = programme.service_starts or timezone.localdate()
    return eligibility(rules, facts, served=served, year=programme.year, on=on)


def _check_window(programme: Programme, now) -> None:
    roster = programme.roster
    if not programme.published or not roster.is_open:
        raise ValidationError(_("该项目暂不接受申请。"), code="closed")
    if roster.opens_at and now < roster.opens_at:
        when = timezone.localtime(roster.opens_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(_("申请将于 %(when)s 开始。") % {"when": when}, code="not_open")
    if roster.closes_at and now >= roster.closes_at:
        when = timezone.localtime(roster.closes_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(_("申请已于 %(when)s 截止。") % {"when": when}, code="closed")


def _duplicate(existing: Application) -> ValidationError:
    return ValidationError(
        _("您已申请过本项目（编号 %(ref)s，%(state)s），每人每个项目只能有一个名额。")
        % {"ref": existing.reference, "state": existing.enrolment.get_state_display()},
        code="duplicate",
    )


def _create(*, programme, person, channel, nominated_by, health_consent, by, now) -> Application:
    existing = Application.objects.select_related("enrolment").filter(programme=programme, person=person).first()
    if existing is not None:
        raise _duplicate(existing)
    rules = list(programme.rules.all())
    context = person_context(person)
    verdict = verdict_for(programme, person, rules, context)
    if not verdict.ok:
        raise ValidationError(verdict.reason, code="ineligible")
    if programme.health_data and not health_consent and channel == Channel.SELF:
        raise ValidationError({"health_consent": _("本项目涉及健康信息，请单独勾选同意后再提交。")})
    result = engine.signup(roster=programme.roster, person=person, channel=channel, nominated_by=nominated_by, now=now)
    if not result.created:  # a live enrolment made elsewhere: still one place per person
        raise ValidationError(_("您已申请过本项目，每人每个项目只能有一个名额。"), code="duplicate")
    enrolment = result.enrolment
    if enrolment.state == State.APPLIED:
        facts, served = context
        group_rule = priority_rule(
            rules, facts, served=served, year=programme.year, on=programme.service_starts or now.date()
        )
        group = (
            PriorityGroup.objects.filter(roster=programme.roster, rule=engine_key(group_rule)).first()
            if group_rule
            else None
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(priority_group=group)
    application = Application(
        programme=programme,
        person=person,
        enrolment=enrolment,
        reference=f"PH{programme.year}-{enrolment.pk:07d}",
        channel=channel,
        nominated_by=nominated_by,
        declared_sex=person.sex,
        declared_birth_date=person.birth_date,
        declared_occupation=person.occupation,
        consent_at=now,
        health_consent_at=now if health_consent else None,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        existing = Application.objects.select_related("enrolment").get(programme=programme, person=person)
        raise _duplicate(existing) from None
    audit_record(
        actor=by or person,
        action="create",
        obj=application,
        detail=f"{application.get_channel_display()} · {enrolment.get_state_display()}",
    )
    return application


def apply(*, programme: Programme, person, consent: bool, health_consent: bool = False, now=None) -> Application:
    """A worker applies in person: eligible by the rules, within the window, once per programme."""
    now = now or timezone.now()
    if programme.channel == Programme.Channel.NOMINATED:
        raise ValidationError(_("本项目只接受基层工会推荐，请联系您所在的工会。"), code="channel")
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息处理说明。")})
    with transaction.atomic():
        programme = Programme.objects.select_related("roster").get(pk=programme.pk)
        Roster.objects.select_for_update().get(pk=programme.roster_id)  # one applicant at a time per person and roster
        _check_window(programme, now)
        return _create(
            programme=programme,
            person=person,
            channel=Channel.SELF,
            nominated_by=None,
            health_consent=health_consent,
            by=person,
            now=now,
        )


def nominate(*, programme: Programme, union, person, by, now=None) -> Application:
    """Grassroots union staff nominate one of their members, within the union's share."""
    now = now or timezone.now()
    if programme.channel == Programme.Channel.INDIVIDUAL:
        raise ValidationError(_("本项目只接受个人申请。"), code="channel")
    if not UnionStaff.objects.filter(union=union, user=by).exists():
        raise ValidationError(_("您不是 %(union)s 的工作人员。") % {"union": union}, code="not_staff")
    if union.pk not in (registry.person_fact(person, "union_ids") or []):
        raise ValidationError(_("%(name)s 不是本工会的会员，不能推荐。") % {"name": person.display_name})
    with transaction.atomic():
        programme = Programme.objects.select_related("roster").get(pk=programme.pk)
        Roster.objects.select_for_update().get(pk=programme.roster_id)
        _check_window(programme, now)
        # Health data: the nominated person gives their own consent when they confirm the place.
        return _create(
            programme=programme,
            person=person,
            channel=Channel.NOMINATED,
            nominated_by=union,
            health_consent=False,
            by=by,
            now=now,
        )


def offer_confirm(*, application: Application, now=None) -> Application:
    """Confirm an offered place before its deadline (after it, the place has passed on)."""
    try:
        engine.offer_accept(enrolment=application.enrolment, now=now)
    except ValidationError:
        application.enrolment.refresh_from_db()
        raise
    application.enrolment.refresh_from_db()
    audit_record(actor=application.person, action="change", obj=application, detail="offer confirmed")
    return application


def offer_decline(*, application: Application, now=None) -> Application:
    engine.offer_decline(enrolment=application.enrolment, now=now)
    application.enrolment.refresh_from_db()
    audit_record(actor=application.person, action="change", obj=application, detail="offer declined")
    return application


def application_cancel(*, application: Application, by, reason: str = "") -> Application:
    """Cancel (the person, or an officer with a reason): a freed place goes to the next waiting."""
    with transaction.atomic():
        if application.slot_id:
            from .delivery import _release_slot

            _release_slot(application)
        engine.enrolment_cancel(enrolment=application.enrolment, by=by, reason=reason)
        application.enrolment.refresh_from_db()
        audit_record(actor=by, action="change", obj=application, detail=f"cancelled {reason}"[:300])
    return application


LIVE_UNDELIVERED = (State.APPLIED, State.WAITING, State.OFFERED, State.CONFIRMED)


def health_consents_of(person):
    """The separate health-data consents of the person's live applications (withdrawable)."""
    from apps.core.contract import Consent

    rows = Application.objects.filter(
        person=person, health_consent_at__isnull=False, enrolment__state__in=LIVE_UNDELIVERED
    ).select_related("programme")
    return [
        Consent(
            key=f"health:{a.pk}",
            label=_("%(name)s：健康信息处理") % {"name": a.programme.name},
            given_at=a.health_consent_at,
            consequence=_("撤回后这份申请将被取消，名额顺延给下一位；门户本就不保存任何检查结果。"),
        )
        for a in rows
    ]


def health_consent_withdraw(person, key: str) -> None:
    """Withdraw a health-data consent: the application that needed it is cancelled."""
    prefix, _sep, pk = (key or "").partition(":")
    if prefix != "health" or not pk.isdigit():
        raise LookupError(key)
    application = (
        Application.objects.filter(person=person, pk=int(pk), health_consent_at__isnull=False)
        .filter(enrolment__state__in=LIVE_UNDELIVERED)
        .select_related("enrolment", "programme")
        .first()
    )
    if application is None:
        raise LookupError(key)
    with transaction.atomic():
        application_cancel(application=application, by=person, reason="")
        Application.objects.filter(pk=application.pk).update(health_consent_at=None, updated_at=timezone.now())
        audit_record(actor=person, action="change", obj=application, detail="health consent withdrawn")
