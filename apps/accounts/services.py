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
