import pytest
from django.contrib.auth.models import Group, Permission

from apps.accounts.roles import user_holds, users_holding
from apps.accounts.services import role_permissions_sync
from apps.core import registry

from .factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = sorted(registry.roles())
STAFF_ROLES = {name for name, role in registry.roles().items() if role.staff}


def test_every_declared_role_exists_as_a_group_after_migrate():
    assert set(ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_sync_is_idempotent_and_removes_permissions_nobody_declared():
    editor = Group.objects.get(name="editor")
    stray = Permission.objects.get(codename="delete_user")
    editor.permissions.add(stray)
    role_permissions_sync()
    role_permissions_sync()
    assert not editor.permissions.filter(pk=stray.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_exactly_its_declared_permissions_and_admin_access(client, role):
    user = UserFactory(roles=[role])
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}
    assert granted == registry.role_permissions()[role]
    assert user.get_all_permissions() == granted
    assert user_holds(user, role)
    assert not any(user_holds(user, other) for other in ROLES if other != role)

    client.force_login(user)
    response = client.get("/admin/")
    if role in STAFF_ROLES:
        assert response.status_code == 200
        apps_shown = {app["app_label"] for app in response.context["app_list"]}
        apps_granted = {perm.split(".")[0] for perm in granted}
        # the admin shows this role exactly the apps it holds permissions in
        assert apps_shown <= apps_granted
    else:
        assert response.status_code == 302  # sent to sign in as staff; never the admin itself
    # nobody but a superuser may manage users
    assert not user.has_perm("accounts.change_user")


def test_users_holding_a_role_or_a_permission_once_each_with_superusers():
    editor = UserFactory(roles=["editor"])
    chief = UserFactory(roles=["chief_editor", "editor"])
    admin = UserFactory(is_superuser=True)
    UserFactory(roles=["editor"], is_active=False)
    UserFactory()

    assert set(users_holding("editor")) == {editor, chief, admin}
    assert list(users_holding("editor", include_superusers=False).order_by("pk")) == [editor, chief]
    assert set(users_holding("news.publish_article")) == {chief, admin}
    direct = UserFactory()
    direct.user_permissions.add(Permission.objects.get(codename="publish_article"))
    assert direct in users_holding("news.publish_article")
