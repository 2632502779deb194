from django.utils.translation import gettext_lazy as _

from apps.core.contract import PersonFact, PortalAppConfig, ReminderKind


class EnrolmentConfig(PortalAppConfig):
    """The enrolment engine (foundation): places, sign-up, waiting list, draw, check-in."""

    name = "apps.enrolment"
    verbose_name = _("报名与签到")

    def reminder_kinds(self):
        return [
            ReminderKind("enrolment.confirmed", _("报名成功")),
            ReminderKind("enrolment.offered", _("候补名额与抽签结果"), channels=("wechat", "sms", "email")),
            ReminderKind("enrolment.tomorrow", _("活动前一天提醒"), channels=("wechat", "sms", "email")),
            ReminderKind("enrolment.changed", _("活动变更或取消")),
            ReminderKind("enrolment.satisfaction", _("活动满意度评价")),
        ]

    def consents(self, user):
        from .services.retention import children_consents

        return children_consents(user)

    def consent_withdraw(self, user, key):
        from .services.retention import child_consent_withdraw

        child_consent_withdraw(user, key)

    def person_fact_kinds(self):
        return [PersonFact("union_staff", _("工会工作人员（可登录管理后台）"))]

    def person_facts(self, user):
        return {"union_staff": bool(user.is_staff)}
