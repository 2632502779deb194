from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from apps.core import registry


def role_permissions_sync(sender=None, **kwargs) -> None:
    """Create every declared role's group and give it exactly the permissions declared for it."""
    if sender is not None and sender.name != "apps.accounts":
        return  # run once per migrate, not once per app
    # accounts migrates before most apps, whose permissions post_migrate has not made yet on a
    # fresh database: make every app's permissions first (idempotent).
    from django.contrib.auth.management import create_permissions
    from django.db import DEFAULT_DB_ALIAS

    for config in django_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=kwargs.get("using", DEFAULT_DB_ALIAS))
    wanted_by_role = registry.role_permissions()
    all_perms = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    with transaction.atomic():
        for role, perms in wanted_by_role.items():
            group, _ = Group.objects.get_or_create(name=role)
            missing = sorted(perm for perm in perms if perm not in all_perms)
            if missing:
                raise ValueError(f"role {role!r} declares unknown permissions: {missing}")
            group.permissions.set([all_perms[perm] for perm in perms])


def user_role_add(*, user, role: str) -> None:
    """Put a user into a role's group (and into the admin if the role works there)."""
    declared = registry.roles()[role]
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if declared.staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)


def account_close(*, user) -> None:
    """Close a person's account at their request (PIPL): every app anonymises what it holds, the
    account keeps no name, number, address or password and can no longer sign in. Rows that
    figures, cases and the audit log rest on stay, pointing at an anonymous account."""
    from apps.core.audit import audit_record

    with transaction.atomic():
        registry.personal_data_erase(user)
        label = f"已注销用户{user.pk}"
        user.username = f"closed-{user.pk}"
        user.real_name = ""
        user.first_name = user.last_name = ""
        user.email = ""
        user.phone = ""
        user.phone_verified = False
        user.sex = ""
        user.birth_date = None
        user.occupation = ""
        user.employer = None
        user.town = None
        if user.avatar:
            user.avatar.delete(save=False)
        user.avatar = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        # allauth's own records of the person (addresses, sign-in codes) go with the account.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).delete()
        user.wechat_bindings.all().delete()  # no more WeChat messages, and the openid is freed
        audit_record(actor=None, action="delete", obj=user, detail=f"{label}：本人申请注销账号，个人信息已匿名化")
