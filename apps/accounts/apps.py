from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from apps.core.contract import PersonFact, PortalAppConfig


class AccountsConfig(PortalAppConfig):
    name = "apps.accounts"
    verbose_name = _("账户与角色")
    demo_module = "demo"

    def role_grants(self):
        return {"leader": ["accounts.view_user"]}

    def person_fact_kinds(self):
        return [
            PersonFact("sex", _("性别（本人填写）")),
            PersonFact("birth_date", _("出生日期（本人填写）")),
            PersonFact("age", _("年龄（按出生日期，今天）")),
            PersonFact("occupation", _("职业（本人填写）")),
            PersonFact("new_form_worker", _("新就业形态劳动者（按本人填写的职业）")),
            PersonFact("town_id", _("所在乡镇/街道")),
            PersonFact("employer_id", _("工作单位")),
        ]

    def person_facts(self, user):
        from django.utils import timezone

        from .models import NEW_FORM_OCCUPATIONS

        return {
            "sex": user.sex or None,
            "birth_date": user.birth_date,
            "age": user.age_on(timezone.localdate()),
            "occupation": user.occupation or None,
            "new_form_worker": user.occupation in NEW_FORM_OCCUPATIONS if user.occupation else None,
            "town_id": user.town_id,
            "employer_id": user.employer_id,
        }

    def personal_data(self, user):
        return {
            _("个人资料"): [
                {
                    "username": user.username,
                    "real_name": user.real_name,
                    "phone": user.phone,
                    "phone_verified": user.phone_verified,
                    "email": user.email,
                    "employer": str(user.employer or ""),
                    "town": str(user.town or ""),
                    "sex": user.sex,
                    "birth_date": user.birth_date.isoformat() if user.birth_date else "",
                    "occupation": user.occupation,
                    "date_joined": user.date_joined.isoformat(),
                    "roles": sorted(user.role_names),
                }
            ],
            _("微信绑定"): [
                {"app": b.get_app_display(), "openid": b.openid, "subscribed": b.subscribed, "bound_at": b.created_at}
                for b in user.wechat_bindings.all()
            ],
        }

    def ready(self):
        from .services import role_permissions_sync

        # After every migrate (all apps' permissions exist by then) groups get exactly the
        # permissions the apps declare.
        post_migrate.connect(role_permissions_sync, dispatch_uid="accounts.role_permissions_sync")
