import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import ROLES, STAFF_ROLES, user_has_role
from apps.accounts.services import declared_role_permissions, role_permissions_sync

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate():
    assert set(ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_sync_is_idempotent_and_removes_permissions_nobody_declared():
    editor = Group.objects.get(name="editor")
    from django.contrib.auth.models import Permission

    stray = Permission.objects.get(codename="delete_user")
    editor.permissions.add(stray)
    role_permissions_sync()
    role_permissions_sync()
    assert not editor.permissions.filter(pk=stray.pk).exists()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_has_exactly_its_declared_permissions_and_admin_access(client, role):
    user = UserFactory(roles=[role])
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}
    assert granted == declared_role_permissions()[role]
    assert user.get_all_permissions() == granted
    assert user_has_role(user, role)
    assert not any(user_has_role(user, other) for other in ROLES if other != role)

    client.force_login(user)
    response = client.get("/admin/")
    if role in STAFF_ROLES:
        assert response.status_code == 200
        apps_shown = {app["app_label"] for app in response.context["app_list"]}
        apps_granted = {perm.split(".")[0] for perm in granted}
        # the admin shows this role exactly the apps it holds permissions in
        assert apps_shown == apps_granted & apps_shown and apps_shown <= apps_granted
        assert "accounts" not in apps_shown or "accounts.change_user" in granted or "accounts.view_user" in granted
    else:
        assert response.status_code != 200
    # nobody but a superuser may manage users
    assert not user.has_perm("accounts.change_user")
