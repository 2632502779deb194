"""Eligibility rules and priority groups as data: each :class:`~.models.Rule` is evaluated on the
person's facts (``registry.person_facts``: sex, age and occupation from the profile, membership
from the membership app) and on what they were given before (served by the same kind within N
years, from this app's deliveries). A failing rule answers with its Chinese sentence; a fact the
person has not declared answers with where to declare it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Kind, Rule

Check = Rule.Check

MISSING = {
    "sex": _("请先在“我的”中填写性别。"),
    "age": _("请先在“我的”中填写出生日期。"),
    "occupation": _("请先在“我的”中填写职业。"),
}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    missing: str = ""  # the fact the person has not declared yet ("sex", "age", "occupation")


YES = Verdict(True)


def _age_on(birth_date, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _bounds(value: str) -> tuple[int, int]:
    low, _sep, high = (value or "").partition("-")
    try:
        return int(low or 0), int(high or 200)
    except ValueError:
        return 0, 200


def default_message(rule: Rule) -> str:
    kind = dict(Kind.choices).get(rule.programme.kind, "") if rule.programme_id else ""
    if rule.test == Check.FEMALE:
        return _("仅限女职工")
    if rule.test == Check.MEMBER:
        return _("仅限工会会员")
    if rule.test == Check.AGE:
        low, high = _bounds(rule.value)
        return _("仅限 %(low)s–%(high)s 周岁的职工") % {"low": low, "high": high}
    if rule.test == Check.OCCUPATION:
        from apps.accounts.models import Occupation

        labels = dict(Occupation.choices)
        names = "、".join(str(labels.get(code.strip(), code.strip())) for code in rule.value.split(",") if code.strip())
        return _("仅限%(names)s") % {"names": names}
    if rule.test == Check.NEW_FORM:
        return _("仅限货车司机、快递员等新就业形态劳动者")
    if rule.test == Check.TOWN:
        return _("仅限 %(town)s 的职工") % {"town": rule.value}
    if rule.test == Check.NOT_SERVED:
        return _("近%(n)s年内已参加过%(kind)s") % {"n": rule.value or 1, "kind": kind}
    return str(rule)


def evaluate(rule: Rule, facts: dict, *, served: set, year: int, on: datetime.date) -> Verdict:
    """Whether facts pass one rule. ``served`` holds (kind, year) of the person's deliveries."""
    message = rule.message or default_message(rule)
    check = rule.test
    if check == Check.FEMALE:
        sex = facts.get("sex")
        if sex is None:
            return Verdict(False, f"{message}。{MISSING['sex']}", "sex")
        return YES if sex == "female" else Verdict(False, message)
    if check == Check.MEMBER:
        return YES if facts.get("member") else Verdict(False, message)
    if check == Check.AGE:
        age = _age_on(facts.get("birth_date"), on)
        if age is None:
            return Verdict(False, f"{message}。{MISSING['age']}", "age")
        low, high = _bounds(rule.value)
        return YES if low <= age <= high else Verdict(False, message)
    if check in (Check.OCCUPATION, Check.NEW_FORM):
        occupation = facts.get("occupation")
        if occupation is None:
            return Verdict(False, f"{message}。{MISSING['occupation']}", "occupation")
        if check == Check.NEW_FORM:
            return YES if facts.get("new_form_worker") else Verdict(False, message)
        allowed = {part.strip() for part in (rule.value or "").split(",") if part.strip()}
        return YES if occupation in allowed else Verdict(False, message)
    if check == Check.TOWN:
        return YES if facts.get("town_name") == rule.value.strip() else Verdict(False, message)
    if check == Check.NOT_SERVED:
        try:
            years = max(1, int(rule.value or 1))
        except ValueError:
            years = 1
        kind = rule.programme.kind
        recent = any(k == kind and year - years <= y < year for k, y in served)
        return Verdict(False, message) if recent else YES
    return Verdict(False, message)


def eligibility(rules, facts: dict, *, served: set, year: int, on: datetime.date) -> Verdict:
    """The first failing eligibility rule, or yes (rules are checked in their order)."""
    for rule in rules:
        if rule.purpose != Rule.Purpose.ELIGIBILITY:
            continue
        verdict = evaluate(rule, facts, served=served, year=year, on=on)
        if not verdict.ok:
            return verdict
    return YES


def priority_rule(rules, facts: dict, *, served: set, year: int, on: datetime.date) -> Rule | None:
    """The first priority group the person falls in (None: drawn after every group)."""
    for rule in rules:
        if rule.purpose == Rule.Purpose.PRIORITY and evaluate(rule, facts, served=served, year=year, on=on).ok:
            return rule
    return None


def engine_key(rule: Rule) -> str:
    """The key of a priority group on the engine's roster (a rule the engine does not know: this
    app assigns its people itself)."""
    return f"benefits:{rule.pk}"
