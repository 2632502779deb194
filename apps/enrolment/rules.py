"""Named rules on a person's facts: who may sign up (audience) and who is drawn first
(priority groups). Facts are read only through ``apps.core.registry.person_facts``, so a rule
never imports the app that knows the fact. A fact nobody knows is "not known": the person is
not eligible, and the reason says what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core import registry


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class Rule:
    key: str
    label: object
    check: Callable[[dict, object], Verdict]


YES = Verdict(True)


def _everyone(facts, user):
    return YES


def _women(facts, user):
    sex = facts.get("sex")
    if sex is None:
        return Verdict(False, str(_("本活动面向女职工。您还没有在“我的”中填写性别，填写后即可报名。")))
    if sex != "female":
        return Verdict(False, str(_("本活动面向女职工。")))
    return YES


def _new_form(facts, user):
    value = facts.get("new_form_worker")
    if value is None:
        return Verdict(False, str(_("本活动面向新就业形态劳动者。您还没有在“我的”中填写职业，填写后即可报名。")))
    if not value:
        return Verdict(False, str(_("本活动面向新就业形态劳动者（快递员、外卖送餐员、网约车司机等）。")))
    return YES


def _members(facts, user):
    value = facts.get("member")
    if value is None:
        return Verdict(
            False, str(_("本活动仅限工会会员。门户暂时无法确认您的会员身份（会员信息尚未接入），请联系主办单位报名。"))
        )
    if not value:
        return Verdict(False, str(_("本活动仅限工会会员。")))
    return YES


def _staff(facts, user):
    if facts.get("union_staff"):
        return YES
    return Verdict(False, str(_("本活动仅限工会工作人员。")))


def _invitation(facts, user):
    return Verdict(False, str(_("本活动仅限受邀人员或基层工会推荐人员，请联系主办单位。")))


def _age_under(limit):
    def check(facts, user):
        age = facts.get("age")
        if age is None:
            return Verdict(False, str(_("本活动按年龄报名。您还没有在“我的”中填写出生日期。")))
        if age > limit:
            return Verdict(False, str(_("本活动面向 %(limit)s 周岁及以下的职工。")) % {"limit": limit})
        return YES

    return check


RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule("everyone", _("所有登录职工"), _everyone),
        Rule("women", _("女职工"), _women),
        Rule("new_form", _("新就业形态劳动者"), _new_form),
        Rule("members", _("工会会员"), _members),
        Rule("staff", _("工会工作人员"), _staff),
        Rule("invitation", _("受邀或推荐"), _invitation),
        Rule("age_35_or_under", _("35周岁及以下"), _age_under(35)),
    )
}


def rule_check(key: str, user) -> Verdict:
    """Whether a person matches a named rule, with the reason when not."""
    rule = RULES.get(key)
    if rule is None:
        return Verdict(False, str(_("报名规则“%(key)s”不存在，请联系主办单位。")) % {"key": key})
    return rule.check(registry.person_facts(user), user)


def rule_choices() -> list[tuple[str, object]]:
    return [(rule.key, rule.label) for rule in RULES.values()]
