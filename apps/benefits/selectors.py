"""Reads of the benefits app: the catalogue (a flat number of queries whatever the number of
programmes and rules), one programme's page, who may see an application, a person's benefits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.accounts.roles import user_holds
from apps.enrolment.models import Enrolment

from .models import Application, Programme, Rule, Slot
from .rules import Verdict, eligibility
from .services.apply import person_context
from .services.delivery import provider_ids, sent_to

OFFICER_ROLE = "benefits_officer"
PROVIDER_ROLE = "benefits_provider"
State = Enrolment.State


def catalogue_programmes(year: int):
    return list(
        Programme.objects.filter(year=year, published=True)
        .select_related("roster", "organiser")
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("purpose", "order", "pk")))
        .order_by("kind", "pk")
    )


@dataclass
class Card:
    programme: Programme
    status: str  # "open", "ineligible", "applied", "closed", "" (anonymous)
    verdict: Verdict | None = None
    application: Application | None = None


def _window_open(programme: Programme, now) -> bool:
    roster = programme.roster
    if not roster.is_open:
        return False
    if roster.opens_at and now < roster.opens_at:
        return False
    return not (roster.closes_at and now >= roster.closes_at)


def catalogue(user, year: int) -> list[Card]:
    """This year's programmes, each with what the visitor may do (可申请 / 不符合 / 已申请)."""
    now = timezone.now()
    programmes = catalogue_programmes(year)
    if not getattr(user, "is_authenticated", False):
        return [Card(p, "" if _window_open(p, now) else "closed") for p in programmes]
    mine = {
        a.programme_id: a
        for a in Application.objects.filter(person=user, programme__in=[p.pk for p in programmes]).select_related(
            "enrolment", "slot"
        )
    }
    context = person_context(user)
    cards = []
    for programme in programmes:
        application = mine.get(programme.pk)
        if application is not None:
            cards.append(Card(programme, "applied", application=application))
            continue
        facts, served = context
        on = programme.service_starts
        verdict = eligibility(list(programme.rules.all()), facts, served=served, year=programme.year, on=on)
        if not verdict.ok:
            cards.append(Card(programme, "ineligible", verdict))
        elif programme.channel == Programme.Channel.NOMINATED:
            cards.append(Card(programme, "nominated", verdict))
        else:
            cards.append(Card(programme, "open" if _window_open(programme, now) else "closed", verdict))
    return cards


def programme_for_page(pk: int) -> Programme:
    return (
        Programme.objects.filter(published=True)
        .select_related("roster", "organiser", "occasion")
        .prefetch_related("rules", "providers")
        .get(pk=pk)
    )


def open_slots(programme: Programme):
    today = timezone.localdate()
    return list(
        Slot.objects.filter(programme=programme, day__gte=today).select_related("provider").order_by("day", "starts")
    )


def draw_counts(programme: Programme) -> list[tuple[str, int, int]]:
    """Per priority group: (name, drawn entries, places given) — published after the draw."""
    roster = programme.roster
    if roster is None or roster.drawn_at is None:
        return []
    rows = (
        Enrolment.objects.filter(roster=roster, draw_number__isnull=False)
        .values_list("priority_group__name", "draw_number")
        .order_by()
    )
    entries, given = defaultdict(int), defaultdict(int)
    for name, number in rows:
        entries[name] += 1
        if roster.places and number <= roster.places:
            given[name] += 1
    names = list(roster.priority_groups.order_by("order", "pk").values_list("name", flat=True))
    found = [(name, entries.get(name, 0), given.get(name, 0)) for name in names]
    found.append(("", entries.get(None, 0), given.get(None, 0)))
    return found


def may_manage(user) -> bool:
    return user_holds(user, OFFICER_ROLE)


def visible_applications(user):
    """Applications a person may open: their own, every one for officers, the people sent to a
    provider for its staff. Everyone else (leaders too) gets none: 404."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    if user.is_superuser or user_holds(user, OFFICER_ROLE):
        return Application.objects.all()
    providers = provider_ids(user)
    if providers:
        return Application.objects.filter(Q(person=user) | sent_to(providers)).distinct()
    return Application.objects.filter(person=user)


def my_benefits(user):
    return list(
        Application.objects.filter(person=user)
        .select_related("programme", "enrolment", "slot__provider")
        .order_by("-programme__year", "-created_at")[:10]
    )


def provider_queue(user, day=None):
    """The people booked at the staff member's providers on a day (and their check-in state)."""
    day = day or timezone.localdate()
    providers = provider_ids(user)
    return list(
        Application.objects.filter(slot__provider_id__in=providers, slot__day=day)
        .filter(enrolment__state__in=(State.CONFIRMED, State.ATTENDED))
        .select_related("person", "slot", "programme", "enrolment")
        .order_by("slot__starts", "pk")
    )
