from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLES


def declared_role_permissions() -> dict[str, set[str]]:
    """Every app's ``role_permissions`` merged: role -> {"app_label.codename", ...}."""
    merged: dict[str, set[str]] = {role: set() for role in ROLES}
    for config in django_apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


def role_permissions_sync(sender=None, **kwargs) -> None:
    """Give each role group exactly the permissions the apps declare for it."""
    if sender is not None and sender.name != "apps.accounts":
        return  # run once per migrate, not once per app
    # accounts migrates before most apps, whose permissions post_migrate has not made yet on a
    # fresh database: make every app's permissions first (idempotent).
    from django.contrib.auth.management import create_permissions
    from django.db import DEFAULT_DB_ALIAS

    for config in django_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=kwargs.get("using", DEFAULT_DB_ALIAS))
    with transaction.atomic():
        for role, perms in declared_role_permissions().items():
            group, _ = Group.objects.get_or_create(name=role)
            wanted = []
            for perm in sorted(perms):
                app_label, codename = perm.split(".", 1)
                found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if found is not None:
                    wanted.append(found)
            group.permissions.set(wanted)


def user_role_add(*, user, role: str) -> None:
    """Put a user into a role's group (and into the admin if the role works there)."""
    from .roles import STAFF_ROLES

    group = Group.objects.get(name=role)
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)
